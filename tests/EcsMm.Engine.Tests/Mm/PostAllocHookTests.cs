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

    [Fact]
    public void AnAllocatedBlockLeavesBuddyTypeless_AndOnlyGfpCompMakesItCompound__prep_new_page()
    {
        var a = TestAllocators.SingleZone();

        var plain = a.AllocPages(Gfp.Kernel, 5);
        var comp = a.AllocPages(Gfp.Kernel | Gfp.Comp, 5);

        foreach (var r in new[] { plain, comp })
        {
            Assert.Equal(PageType.None, a.Map.GetPageType(r.Pfn));
            Assert.False(a.Map.PageBuddy(r.Pfn));
            Assert.Equal(5, a.Map.GetOrder(r.Pfn));   // the folio order stays with the head
        }

        Assert.False(a.Map.PageHead(plain.Pfn));
        Assert.True(a.Map.PageHead(comp.Pfn));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void TheFlagChecksRunOnlyWithDebugVmOrInitOnAllocOrInitOnFree__is_check_pages_enabled()
    {
        static PageAlloc Make(bool validate, bool initOnAlloc, bool initOnFree)
        {
            var config = MemoryConfig.SingleZone(16 << 20) with { InitOnAlloc = initOnAlloc, InitOnFree = initOnFree, PcpHigh = 64, PcpBatch = 8 };
            var a = new PageAlloc(new MemMap(config.PageCount), config) { Validate = validate };
            a.Boot();
            a.Map.SetPageDirtyNonAtomic(0);   // PAGE_FLAGS_CHECK_AT_PREP
            return a;
        }

        var unchecked_ = Make(false, false, false);
        Assert.False(unchecked_.CheckPagesEnabled);
        Assert.Equal(0, unchecked_.AllocPages(Gfp.Kernel, 0).Pfn);   // handed out unchecked
        Assert.Equal(0, unchecked_.Stats.BadPages);

        foreach (var a in new[] { Make(true, false, false), Make(false, true, false), Make(false, false, true) })
        {
            Assert.True(a.CheckPagesEnabled);
            Assert.Equal(1, a.AllocPages(Gfp.Kernel, 0).Pfn);        // PFN 0 is a bad page, left out
            Assert.Equal(1, a.Stats.BadPages);
        }
    }

    [Fact]
    public void InitOnAllocZeroesEveryPageOfTheBlockWithoutGfpZero__kernel_init_pages()
    {
        var config = MemoryConfig.SingleZone(16 << 20) with { InitOnAlloc = true, PcpHigh = 64, PcpBatch = 8 };
        var a = new PageAlloc(new MemMap(config.PageCount), config);
        a.Boot();
        var r = a.AllocPages(Gfp.Kernel, 3);
        Dirty(a, r.Pfn, 3);
        Dirty(a, r.Pfn + 8, 0);   // a neighbour outside the block
        a.FreePages(r.Pfn, 3);
        var zeroedBefore = a.Stats.ZeroedByAllocHook;

        var again = a.AllocPages(Gfp.Kernel, 3);

        Assert.Equal(r.Pfn, again.Pfn);
        Assert.True(again.ZeroedByAllocator);
        Assert.Equal(8, a.Stats.ZeroedByAllocHook - zeroedBefore);
        for (var p = again.Pfn; p < again.Pfn + 8; p++)
        {
            Assert.True(a.Map.ContentIsZero(p));
        }

        Assert.False(a.Map.ContentIsZero(again.Pfn + 8));
    }
}
