using EcsMm.Mm;
using EcsMm.Tests.Mm;
using EcsMm.Truth;

namespace EcsMm.Tests.Reporting;

/// <summary>PG_zeroed and PG_reported through split, claim, merge, consumption and the free paths (v2 patches 1, 4, 5, 7, 10, 17).</summary>
public sealed class PgZeroedLifecycleTests
{
    [Fact]
    public void HalvesPutBackInheritReportedAndZeroed__expand()
    {
        var rig = ReportingRig.Booted(mib: 256);
        rig.ReportUntilIdle();
        var head = TestAllocators.FreeList(rig.Alloc, 10, MigrateType.Movable)[0];
        var r = rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 4); // order 4: no pcp list, straight from buddy
        Assert.Equal(head, r.Pfn);
        Assert.Equal(PageHint.Zeroed, r.Hint);
        for (var o = 4; o < 10; o++)
        {
            var half = head + (1 << o);
            Assert.True(rig.Alloc.Map.PageBuddy(half));
            Assert.True(rig.Reported(half) && rig.Zeroed(half), $"order-{o} half at 0x{half:x}");
        }

        Assert.False(rig.Zeroed(head)); // consumed
        Assert.False(rig.Reported(head));
    }

    [Fact]
    public void HalvesDoNotInheritWithoutTheSeries__expand()
    {
        var rig = ReportingRig.Booted(mib: 256, series: false);
        rig.ReportUntilIdle();
        var head = TestAllocators.FreeList(rig.Alloc, 10, MigrateType.Movable)[0];
        Assert.True(rig.Reported(head));
        Assert.False(rig.Zeroed(head)); // drain sets PG_zeroed only with the series
        var r = rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 9);
        Assert.Equal(PageHint.None, r.Hint);
        Assert.False(rig.Reported(head + 512));
    }

    [Fact]
    public void ClaimedBlockSplitsOntoTheNewTypeWithZeroed__try_to_claim_block()
    {
        var rig = ReportingRig.Booted(mib: 256);
        rig.ReportUntilIdle();
        Assert.Empty(TestAllocators.FreeList(rig.Alloc, 9, MigrateType.Unmovable));

        // An unmovable order-8 request finds no unmovable block: it claims a whole reported movable order-10 block
        // and splits it onto the unmovable lists.
        var r = rig.Alloc.AllocPages(Gfp.Kernel | Gfp.Zero, 8);
        Assert.True(r.Success);
        Assert.Equal(PageHint.Zeroed, r.Hint);
        Assert.Equal(MigrateType.Unmovable, rig.Alloc.PageblockType(r.Pfn));
        foreach (var half in new[] { r.Pfn + 256, r.Pfn + 512 })
        {
            Assert.Equal(MigrateType.Unmovable, rig.Alloc.FreeListTypeOf(half));
            Assert.True(rig.Zeroed(half) && rig.Reported(half));
        }

        Assert.Equal(0, rig.Oracle.Corruptions);
    }

    [Fact]
    public void MergedHeadIsZeroedOnlyIfBothHalvesWere__free_one_page()
    {
        // The blocks are still allocated when the bit is set (as the hinted free path does just before freeing),
        // and interior pages are not free pages: both use the underlying PG_private accessors, where the PG_zeroed
        // alias is not valid (its debug check would fire).
        var a = TestAllocators.Empty(16);
        a.Map.SetPagePrivateNonAtomic(0);
        a.FreeOnePage(0, 4, FpiFlags.None);
        a.Map.SetPagePrivateNonAtomic(16);
        a.FreeOnePage(16, 4, FpiFlags.None);
        Assert.Equal(5, a.Map.GetOrder(0));
        Assert.True(a.Map.PageZeroed(0));
        Assert.False(a.Map.PagePrivate(16)); // the interior page loses the flag

        a.FreeOnePage(32, 5, FpiFlags.None); // a normal free: not zeroed
        Assert.Equal(6, a.Map.GetOrder(0));
        Assert.False(a.Map.PageZeroed(0));
        Assert.False(a.Map.PagePrivate(32));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void AHigherBuddyThatWasZeroedGivesItsFlagUpWhenTheLowerHalfIsNot__free_one_page()
    {
        var a = TestAllocators.Empty(16);
        a.Map.SetPagePrivateNonAtomic(16);   // still allocated: the underlying bit, not the free-page alias
        a.FreeOnePage(16, 4, FpiFlags.None);
        a.FreeOnePage(0, 4, FpiFlags.None);
        Assert.False(a.Map.PageZeroed(0));
        Assert.False(a.Map.PagePrivate(16)); // now an interior page
    }

    [Fact]
    public void ConsumedOnceAndTheSkipIsCheckedAgainstTheTruth__post_alloc_hook()
    {
        var rig = ReportingRig.Booted(mib: 256);
        rig.ReportUntilIdle();
        var r = rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 9);
        Assert.Equal(PageHint.Zeroed, r.Hint);
        Assert.False(r.ZeroedByAllocator);
        Assert.False(rig.Zeroed(r.Pfn));
        Assert.Equal(512, rig.Oracle.PagesSkipped[(int)ZeroingPath.PostAllocHook]);
        Assert.Equal(1, rig.Oracle.CorrectSkips);

        // A kernel allocation that does not ask for zeroing drops the information.
        var k = rig.Alloc.AllocPages(Gfp.HighUserMovable, 9);
        Assert.Equal(PageHint.Zeroed, k.Hint);
        Assert.False(rig.Zeroed(k.Pfn));
        Assert.Equal(512, rig.Oracle.PagesSkipped[(int)ZeroingPath.PostAllocHook]);
    }

    [Fact]
    public void ANormalFreeNeverSetsZeroed__free_pages_prepare()
    {
        var rig = ReportingRig.Booted(mib: 256);
        rig.ReportUntilIdle();
        var pfn = rig.AllocDirty(9);
        rig.Alloc.FreePages(pfn, 9);
        rig.Alloc.DrainAllPages();
        var head = rig.Alloc.FindFreeBlockHead(pfn, 9, out _);
        Assert.False(rig.Zeroed(head));
        Assert.False(rig.Zeroed(pfn));
    }

    [Fact]
    public void AHintedFreeMarksTheBlockZeroedAfterTheFreeCheck__free_frozen_pages_hint()
    {
        var a = TestAllocators.Empty(16);
        Assert.True(a.FreePagesHint(0, 10, PageHint.Zeroed));
        Assert.True(a.Map.PageZeroed(0));
        Assert.Equal(1024, a.Stats.HintedZeroedFrees);

        // Mainline's free_one_page cuts the order-10 block into pageblocks (split_large_buddy): each piece carries
        // the flag, and the two merge back into a zeroed order-10 block.
        Assert.Equal(10, a.Map.GetOrder(0));

        // An order-0 hinted free goes through the pcp list and keeps the flag until buddy.
        Assert.True(a.PutPageHint(2048, PageHint.Zeroed));
        Assert.True(a.Map.PageZeroed(2048));
        a.DrainAllPages();
        Assert.True(a.Map.PageBuddy(2048));
        Assert.True(a.Map.PageZeroed(2048));
    }

    [Fact]
    public void HintedFreeDoesNothingWithoutTheSeries__free_frozen_pages_hint()
    {
        var a = TestAllocators.Empty(16, series: false);
        Assert.True(a.FreePagesHint(0, 10, PageHint.Zeroed));
        Assert.False(a.Map.PageZeroed(0));
        Assert.Equal(0, a.Stats.HintedZeroedFrees);
    }

    [Fact]
    public void AReportedBlockIsSkippedButAZeroedUnreportedOneIsReported__page_reporting_cycle()
    {
        var rig = ReportingRig.Booted(mib: 256);
        rig.ReportUntilIdle();
        var before = rig.Reporting.Stats.BlocksReported.Sum();
        var r = rig.Alloc.AllocPages(Gfp.HighUserMovable, 10);
        rig.Alloc.FreePagesHint(r.Pfn, 10, PageHint.Zeroed); // zeroed, not reported
        Assert.True(rig.Zeroed(r.Pfn) && !rig.Reported(r.Pfn));
        rig.ReportUntilIdle();
        Assert.Equal(before + 1, rig.Reporting.Stats.BlocksReported.Sum());
        Assert.True(rig.Reported(r.Pfn));
    }
    [Fact]
    public void PrivateDataSetsPgPrivateOnTheHeadOnly_AndIsDetachedBeforeTheFreeSoTheFreedPageIsNotZeroed__folio_attach_private_folio_detach_private()
    {
        var rig = ReportingRig.Booted(mib: 64, debugVm: true);
        var r = rig.Alloc.AllocPages(Gfp.HighUserMovable, 2);
        rig.Memory.Write(r.Pfn, 4);
        var user = new PageCacheUser(rig.Alloc);

        user.AttachPrivate(r.Pfn);
        Assert.True(rig.Alloc.Map.PagePrivate(r.Pfn));
        for (var i = 1; i < 4; i++)
        {
            Assert.False(rig.Alloc.Map.PagePrivate(r.Pfn + i));
        }

        // Detached before the last put: free_pages_prepare finds nothing wrong, and the bit, which on a free page
        // means PG_zeroed, is clear.
        Assert.True(user.Release(r.Pfn, 2));
        Assert.Equal(0, rig.Alloc.Stats.BadPages);
        Assert.Equal(PageType.Pcp, rig.Alloc.Map.GetPageType(r.Pfn));
        Assert.False(rig.Zeroed(r.Pfn));

        var again = rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 2);
        Assert.Equal(r.Pfn, again.Pfn);
        Assert.Equal(PageHint.None, again.Hint);
        Assert.Equal(0, rig.Oracle.Corruptions);
        Assert.True(rig.Memory.Map.ContentIsZero(r.Pfn));
    }
}
