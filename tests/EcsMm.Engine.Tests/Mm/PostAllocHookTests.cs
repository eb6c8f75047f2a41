using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>post_alloc_hook(), prep_new_page(), free_pages_prepare() and check_new_page().</summary>
public sealed class PostAllocHookTests
{
    private static void Dirty(PageAlloc a, int pfn, int order)
    {
        for (var p = pfn; p < pfn + (1 << order); p++)
        {
            a.Map.Flags[p] |= MemMap.ContentNonZeroBit;
        }
    }

    [Fact]
    public void GfpZeroMakesTheAllocatorZeroThePages__post_alloc_hook()
    {
        var a = TestAllocators.SingleZone();
        var r = a.AllocPages(Gfp.HighUserMovable, 2);
        Dirty(a, r.Pfn, 2);
        a.FreePages(r.Pfn, 2);

        var z = a.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 2);

        Assert.Equal(r.Pfn, z.Pfn);
        Assert.True(z.ZeroedByAllocator);
        for (var p = z.Pfn; p < z.Pfn + 4; p++)
        {
            Assert.True(a.Map.ContentIsZero(p));
        }
    }

    [Fact]
    public void WithoutGfpZeroOrInitOnAllocNothingIsZeroed__post_alloc_hook()
    {
        var a = TestAllocators.SingleZone();
        var r = a.AllocPages(Gfp.Kernel, 0);
        Assert.False(r.ZeroedByAllocator);
        Assert.Equal(0, a.Stats.ZeroedByAllocHook);
    }

    [Fact]
    public void InitOnFreeSkipsTheAllocationSideZeroing__post_alloc_hook()
    {
        var config = MemoryConfig.SingleZone(16 << 20) with { InitOnFree = true, PcpHigh = 64, PcpBatch = 8 };
        var a = new PageAlloc(new MemMap(config.PageCount), config);
        a.Boot();

        var r = a.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 0);

        Assert.False(r.ZeroedByAllocator);
    }

    [Fact]
    public void PgZeroedIsConsumedOnceAndReturnedAsTheHint__post_alloc_hook()
    {
        var a = TestAllocators.SingleZone();
        var r = a.AllocPages(Gfp.HighUserMovable, 9);
        a.FreePages(r.Pfn, 9);
        a.DrainAllPages();
        var head = a.FindFreeBlockHead(r.Pfn, 9, out _);
        a.Map.SetPageZeroedNonAtomic(head);

        var z = a.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 9);

        Assert.Equal(PageHint.Zeroed, z.Hint);
        Assert.False(z.ZeroedByAllocator);
        Assert.False(a.Map.PagePrivate(z.Pfn));
        Assert.Equal(512, a.Stats.ZeroingSkippedByHint);

        var again = a.PostAllocHook(z.Pfn, 9, Gfp.HighUserMovable | Gfp.Zero);
        Assert.Equal(PageHint.None, again.Hint);
        Assert.True(again.ZeroedByAllocator);
    }

    [Fact]
    public void AFlagCheckedAtFreeMakesThePageBadAndItIsNotFreed__free_pages_prepare()
    {
        var a = TestAllocators.SingleZone();
        var r = a.AllocPages(Gfp.HighUserMovable, 0);
        a.Map.SetPageLruNonAtomic(r.Pfn);

        Assert.False(a.FreePages(r.Pfn, 0));
        Assert.Equal(1, a.Stats.BadPages);
        Assert.Single(a.BadPageLog);
        Assert.Equal(r.Pfn, a.BadPageLog[0].Pfn);
        Assert.NotEqual(PageType.Pcp, a.Map.GetPageType(r.Pfn));
    }

    [Fact]
    public void ABadPageIsReportedAndTheNextOneIsHandedOut__check_new_page()
    {
        var a = TestAllocators.SingleZone();
        a.Map.SetPageDirtyNonAtomic(0);

        var r = a.AllocPages(Gfp.Kernel, 0);

        // rmqueue retries while check_new_pages() fails: PFN 0 is reported and left out of circulation.
        Assert.Equal(1, r.Pfn);
        Assert.Equal(1, a.Stats.BadPages);
        Assert.Equal(0, a.BadPageLog[0].Pfn);
        Assert.Contains("CHECK_AT_PREP", a.BadPageLog[0].Reason);
    }

    [Fact]
    public void PgZeroedOnAFreePageIsNotABadPageAtAllocation__check_new_page()
    {
        var a = TestAllocators.SingleZone();
        a.Map.SetPageZeroedNonAtomic(0);

        var r = a.AllocPages(Gfp.Kernel, 0);

        Assert.Equal(0, r.Pfn);
        Assert.Equal(0, a.Stats.BadPages);
    }

    [Fact]
    public void AFailedBuddyHandsOutNothing__rmqueue()
    {
        var a = TestAllocators.Empty();
        Assert.False(a.AllocPages(Gfp.Kernel, 0).Success);
        Assert.Equal(1, a.Stats.AllocFail);
    }

    [Fact]
    public void CompoundAllocationsGetPgHead__prep_compound_page()
    {
        var a = TestAllocators.SingleZone();
        var r = a.AllocPages(Gfp.TransHugeLight, 9);
        Assert.True(a.Map.PageHead(r.Pfn));
        Assert.False(a.Map.PageHead(r.Pfn + 1));
    }
}
