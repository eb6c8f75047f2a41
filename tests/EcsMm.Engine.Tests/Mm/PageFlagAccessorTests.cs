using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>
/// The generated per-page accessors: <c>PageX</c> / <c>SetPageX</c> / <c>ClearPageX</c> (atomic, as the kernel's
/// <c>set_bit</c> / <c>clear_bit</c>), the non-atomic <c>__SetPageX</c> / <c>__ClearPageX</c>, and the return values of
/// <c>TestSetPageX</c> / <c>TestClearPageX</c> (<c>test_and_set_bit</c> / <c>test_and_clear_bit</c>).
/// </summary>
public sealed class PageFlagAccessorTests
{
    [Fact]
    public void SetPageAndClearPageTouchOnlyTheirBit()
    {
        var map = new MemMap(4);
        map.SetPageType(1, PageType.Hugetlb);
        map.SetOrder(1, 5);
        map.SetPageDirty(1);
        map.SetPageLru(1);
        Assert.True(map.PageDirty(1));
        Assert.True(map.PageLru(1));
        map.ClearPageDirty(1);
        Assert.False(map.PageDirty(1));
        Assert.True(map.PageLru(1));
        Assert.Equal(PageType.Hugetlb, map.GetPageType(1));
        Assert.Equal(5, map.GetOrder(1));
        Assert.Equal(0u, map.Flags[0] | map.Flags[2] | map.Flags[3]);
    }

    [Fact]
    public void NonAtomicFormsMatchTheAtomicFormsOnOneThread()
    {
        var atomic = new MemMap(2);
        var plain = new MemMap(2);
        atomic.SetPageActive(0);
        plain.SetPageActiveNonAtomic(0);
        atomic.SetPageWorkingset(0);
        plain.SetPageWorkingsetNonAtomic(0);
        atomic.ClearPageActive(0);
        plain.ClearPageActiveNonAtomic(0);
        Assert.Equal(atomic.Flags, plain.Flags);
        Assert.Equal(PageFlagAccessors.WorkingsetMask, plain.Flags[0]);
    }

    [Fact]
    public void AtomicSetAndClearOfDifferentBitsOnOneWordLoseNoUpdateAcrossThreads()
    {
        // set_bit/clear_bit are atomic RMWs: two CPUs flipping different bits of one page->flags never undo each
        // other. Each thread toggles its own flag and leaves it set; with a plain read-modify-write one thread's
        // store would sooner or later overwrite the other's bit.
        const int rounds = 200_000;
        var map = new MemMap(1);
        map.SetPageType(0, PageType.Reserved);
        using var start = new Barrier(2);
        var a = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < rounds; i++)
            {
                map.SetPageLocked(0);
                map.ClearPageLocked(0);
            }

            map.SetPageLocked(0);
        });
        var b = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < rounds; i++)
            {
                map.SetPageDirty(0);
                map.ClearPageDirty(0);
                map.SetPageDirty(0);
            }
        });
        a.Start();
        b.Start();
        a.Join();
        b.Join();
        Assert.True(map.PageLocked(0));
        Assert.True(map.PageDirty(0));
        Assert.Equal(PageType.Reserved, map.GetPageType(0));
        Assert.Equal(PageFlagAccessors.LockedMask | PageFlagAccessors.DirtyMask, map.Flags[0] & MemMap.FlagMask);
    }

    [Fact]
    public void TestSetPageReturnsTheOldValueAndSetsTheFlag()
    {
        var map = new MemMap(1);
        Assert.False(map.TestSetPageLocked(0));
        Assert.True(map.PageLocked(0));
        Assert.True(map.TestSetPageLocked(0));
        Assert.True(map.PageLocked(0));
    }

    [Fact]
    public void TestClearPageReturnsTheOldValueAndClearsTheFlag()
    {
        var map = new MemMap(1);
        map.SetPageWriteback(0);
        Assert.True(map.TestClearPageWriteback(0));
        Assert.False(map.PageWriteback(0));
        Assert.False(map.TestClearPageWriteback(0));
        Assert.False(map.PageWriteback(0));
    }

    [Fact]
    public void TestClearPageZeroedConsumesTheHintOnce()
    {
        // post_alloc_hook (seed patch 3): the zeroed hint is read and cleared in one step.
        var map = new MemMap(1);
        map.SetPageType(0, PageType.Buddy);
        map.SetPageZeroedNonAtomic(0);
        Assert.True(map.TestClearPageZeroed(0));
        Assert.False(map.TestClearPageZeroed(0));
    }

    [Fact]
    public void TestSetPageIsAtomicSoExactlyOneThreadWinsTheFlag()
    {
        // trylock_page(): of N racing test_and_set_bit(PG_locked) calls exactly one sees the bit clear.
        var map = new MemMap(1);
        var winners = 0;
        using var start = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            if (!map.TestSetPageLocked(0))
            {
                Interlocked.Increment(ref winners);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(1, winners);
    }
}
