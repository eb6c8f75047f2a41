using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Tests.Mm;

namespace EcsMm.Tests.Reporting;

/// <summary>The rules of mm/page_reporting.c, one test per rule, on hand-placed free blocks.</summary>
public sealed class PageReportingRulesTests
{
    private const long Second = 1_000_000_000;

    /// <summary>
    /// An allocator with only some headroom free, a clock and a recording device registered at
    /// <paramref name="order"/> (4 by default, so the zone gate, low watermark + 32 &lt;&lt; order, lets a few
    /// hand-placed blocks through).
    /// </summary>
    private static (PageAlloc Alloc, SimClock Clock, RecordingDevice Device, PageReporting Reporting) Setup(int mib = 256, int order = 4, bool hostZeroes = false)
    {
        var alloc = TestAllocators.Empty(mib);

        // Watermarks at 0 and 1024 pages of headroom in order-3 blocks (below the reporting order, never reported):
        // hand-placed blocks pass the zone gate and are never refused by __isolate_free_page (its gate has its own test).
        Array.Clear(alloc.Zones[0].Watermarks);
        for (var i = 0; i < 128; i++)
        {
            alloc.FreeOnePage(alloc.Map.PageCount - 4096 + (i * 16), 3, FpiFlags.None);
        }

        var clock = new SimClock();
        var device = new RecordingDevice { HostZeroesPages = hostZeroes };
        var reporting = new PageReporting(alloc, clock, device, order);
        return (alloc, clock, device, reporting);
    }

    /// <summary>Free <paramref name="count"/> non-adjacent blocks of <paramref name="order"/> (every other one), so none merge.</summary>
    private static List<int> FreeSpaced(PageAlloc alloc, int order, int count, int startPfn = 0)
    {
        var list = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var pfn = startPfn + (i * 2 << order);
            alloc.FreeOnePage(pfn, order, FpiFlags.None);
            list.Add(pfn);
        }

        return list;
    }

    [Fact]
    public void RegisterRequestsTheInitialPassTwoSecondsLater__page_reporting_register()
    {
        var (alloc, clock, _, r) = Setup();
        Assert.Same(r, alloc.ReportingNotifier);
        Assert.Equal(PageReportingState.Requested, r.State);
        Assert.Equal(2 * Second, r.WorkDueAtNs);
        Assert.Throws<InvalidOperationException>(() => new PageReporting(alloc, clock, new RecordingDevice()));
    }

    [Fact]
    public void OrderIsTheParameterThenTheDevicesThenPageblockOrder__page_reporting_register()
    {
        Assert.Equal(5, new PageReporting(TestAllocators.Empty(), new SimClock(), new RecordingDevice { Order = 7 }, 5).ReportingOrder);
        Assert.Equal(7, new PageReporting(TestAllocators.Empty(), new SimClock(), new RecordingDevice { Order = 7 }).ReportingOrder);
        Assert.Equal(MmConstants.PageblockOrder, new PageReporting(TestAllocators.Empty(), new SimClock(), new RecordingDevice()).ReportingOrder);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PageReporting(TestAllocators.Empty(), new SimClock(), new RecordingDevice(), 11));
    }

    [Fact]
    public void RequestWhileRequestedOrActiveSchedulesNothingNew__page_reporting_request()
    {
        var (alloc, clock, device, r) = Setup();
        clock.AdvanceTo(Second);
        r.Request();
        Assert.Equal(2 * Second, r.WorkDueAtNs); // still the first schedule
        r.RunUntil(2 * Second);
        Assert.Equal(PageReportingState.Idle, r.State);
        Assert.Null(r.WorkDueAtNs);

        // A request on an idle device schedules 2 s from now.
        clock.AdvanceTo(5 * Second);
        r.Request();
        Assert.Equal(7 * Second, r.WorkDueAtNs);

        // A request while the pass runs (ACTIVE) only flips the state; the pass reschedules at its end.
        device.DuringReport = _ => r.Request();
        FreeSpaced(alloc, 9, 1);
        r.RunUntil(7 * Second);
        Assert.Single(device.Calls);
        Assert.Equal(PageReportingState.Requested, r.State);
        Assert.Equal(9 * Second, r.WorkDueAtNs);
    }

    [Fact]
    public void NotificationOnlyForFinalOrdersAtOrAboveTheReportingOrder__page_reporting_notify_free()
    {
        var (alloc, _, _, r) = Setup(order: 9);
        r.RunUntil(2 * Second);
        Assert.Equal(PageReportingState.Idle, r.State);
        alloc.FreeOnePage(0, 8, FpiFlags.None);
        Assert.Equal(PageReportingState.Idle, r.State);
        alloc.FreeOnePage(256, 8, FpiFlags.None); // merges to order 9
        Assert.Equal(PageReportingState.Requested, r.State);
        r.RunUntil(4 * Second);
        alloc.FreeOnePage(4096, 9, FpiFlags.SkipReportNotify);
        Assert.Equal(PageReportingState.Idle, r.State);
    }

    [Fact]
    public void ZoneBelowLowWatermarkPlusCapacityBlocksIsSkipped__page_reporting_process_zone()
    {
        var (alloc, _, device, r) = Setup(order: 9);
        var low = alloc.Zones[0].WatermarkPages(Watermark.Low);
        // 29 order-9 blocks and the headroom: fewer than low + 32 << 9 free pages.
        FreeSpaced(alloc, 9, 29);
        Assert.True(alloc.Zones[0].FreePages <= low + (32 << 9));
        r.RunUntil(2 * Second);
        Assert.Empty(device.Calls);
        Assert.Equal(1, r.Stats.ZonesSkipped);

        // With order 5 the gate is low + 1024 pages.
        var (alloc2, _, device2, r2) = Setup(order: 5);
        FreeSpaced(alloc2, 9, 29);
        r2.RunUntil(2 * Second);
        Assert.NotEmpty(device2.Calls);
        Assert.Equal(0, r2.Stats.ZonesSkipped);
    }

    [Fact]
    public void OrdersFromReportingOrderUpAndEveryTypeButIsolateAreWalked__page_reporting_process_zone()
    {
        var (alloc, _, device, r) = Setup(order: 4);
        FreeSpaced(alloc, 3, 4, startPfn: 0);            // below the order: never reported (like the headroom)
        FreeSpaced(alloc, 4, 4, startPfn: 1024);
        alloc.SetPageblockType(4096, MigrateType.Isolate);
        alloc.FreeOnePage(4096, 9, FpiFlags.None);       // on the Isolate list: never reported
        alloc.SetPageblockType(8192, MigrateType.Unmovable);
        alloc.FreeOnePage(8192, 9, FpiFlags.None);
        FreeSpaced(alloc, 10, 2, startPfn: 10240);
        r.RunUntil(2 * Second);
        var reported = device.Calls.SelectMany(c => c).ToList();
        Assert.DoesNotContain(reported, b => b.Order < 4);
        Assert.DoesNotContain(reported, b => b.Pfn == 4096);
        Assert.Contains(new ReportedBlock(8192, 9), reported);
        Assert.Equal(4 + 1 + 2, reported.Count);

        // The walk goes up the orders; the batch is filled from the end, so the first isolated block is last.
        Assert.Equal([10, 10, 9, 4, 4, 4, 4], reported.Select(b => b.Order).ToArray());
    }

    [Fact]
    public void LeftoverPartialBatchIsReportedAtTheEnd__page_reporting_process_zone()
    {
        var (alloc, _, device, r) = Setup();
        FreeSpaced(alloc, 9, 40);
        r.RunUntil(2 * Second);
        Assert.Equal([32, 8], device.Calls.Select(c => c.Length).ToArray());
        Assert.Equal(PageReportingState.Idle, r.State);
    }

    [Fact]
    public void BudgetIsNrFreeOver512RoundedUpPlusOneCall__page_reporting_cycle()
    {
        // 100 order-9 blocks: budget DIV_ROUND_UP(100, 512) = 1 → two full calls, then the list is left REQUESTED.
        var (alloc, _, device, r) = Setup(mib: 512);
        FreeSpaced(alloc, 9, 100);
        r.RunUntil(2 * Second);
        Assert.Equal([32, 32], device.Calls.Select(c => c.Length).ToArray());
        Assert.Equal(PageReportingState.Requested, r.State);
        Assert.Equal(1, r.Stats.BudgetExhausted);
        Assert.Equal(4 * Second, r.WorkDueAtNs);

        // The next pass skips the 64 reported blocks and reports the other 36.
        r.RunUntil(4 * Second);
        Assert.Equal([32, 32, 32, 4], device.Calls.Select(c => c.Length).ToArray());
        Assert.Equal(PageReportingState.Idle, r.State);
        Assert.Equal(100, r.Stats.BlocksReported[9]);
    }

    [Fact]
    public void ReportedBlocksAreSkipped__page_reporting_cycle()
    {
        var (alloc, _, device, r) = Setup();
        var blocks = FreeSpaced(alloc, 9, 4);
        alloc.Map.SetPageReportedNonAtomic(blocks[1]);
        r.RunUntil(2 * Second);
        Assert.DoesNotContain(device.Calls.SelectMany(c => c), b => b.Pfn == blocks[1]);
        Assert.Equal(3, device.Calls.Sum(c => c.Length));
    }

    [Fact]
    public void ResumePointIsRotatedToTheListHead__page_reporting_cycle()
    {
        // 100 blocks, budget 1: 64 isolated; the walk stops at the 65th, which becomes the head; the reported ones
        // were put back at the tail.
        var (alloc, _, _, r) = Setup(mib: 512);
        FreeSpaced(alloc, 9, 100);
        var before = TestAllocators.FreeList(alloc, 9, MigrateType.Movable);
        r.RunUntil(2 * Second);
        var after = TestAllocators.FreeList(alloc, 9, MigrateType.Movable);
        Assert.Equal(before[64], after[0]);
        Assert.Equal(before.Skip(64), after.Take(36));
        Assert.All(after.Skip(36), p => Assert.True(alloc.Map.PageReported(p)));
    }

    [Fact]
    public void BlocksAreOffTheFreeListsWhileReported__page_reporting_cycle()
    {
        var (alloc, _, device, r) = Setup();
        FreeSpaced(alloc, 9, 33);
        var checkedAny = false;
        device.DuringReport = blocks =>
        {
            foreach (var b in blocks)
            {
                Assert.False(alloc.Map.PageBuddy(b.Pfn));
                Assert.Equal(PageType.Isolated, alloc.Map.GetPageType(b.Pfn));
            }

            Assert.Equal(33 - blocks.Length, alloc.FreeBlocks(0, 9));
            checkedAny = true;
        };
        r.RunUntil(2 * Second);
        Assert.True(checkedAny);
        Assert.Equal(33, alloc.FreeBlocks(0, 9));
    }

    [Fact]
    public void PutbackGoesToTheTailWithoutANewNotification__page_reporting_drain()
    {
        var (alloc, _, _, r) = Setup();
        alloc.FreeOnePage(0, 9, FpiFlags.None);
        alloc.FreeOnePage(2048, 9, FpiFlags.None);
        alloc.FreeOnePage(4096, 9, FpiFlags.None);
        alloc.Map.SetPageReportedNonAtomic(4096); // at the head, already reported: skipped
        Assert.Equal([4096, 2048, 0], TestAllocators.FreeList(alloc, 9, MigrateType.Movable));
        var requests = r.Stats.Requests;
        r.RunUntil(2 * Second);

        // 2048 then 0 were isolated into sg[31], sg[30]; drained from sg[30] on, each to the tail.
        Assert.Equal([4096, 0, 2048], TestAllocators.FreeList(alloc, 9, MigrateType.Movable));
        Assert.Equal(requests, r.Stats.Requests);
        Assert.Equal(PageReportingState.Idle, r.State);
    }

    [Fact]
    public void ABlockThatMergedAtPutbackIsNotMarkedReported__page_reporting_drain()
    {
        var (alloc, _, device, r) = Setup(hostZeroes: true);
        FreeSpaced(alloc, 9, 1, startPfn: 0);
        // While the block is isolated its buddy is freed: the putback merges into an order-10 block.
        device.DuringReport = _ => alloc.FreeOnePage(512, 9, FpiFlags.SkipReportNotify);
        r.RunUntil(2 * Second);
        Assert.True(alloc.Map.PageBuddy(0));
        Assert.Equal(10, alloc.Map.GetOrder(0));
        Assert.False(alloc.Map.PageReported(0));
        Assert.False(alloc.Map.PageZeroed(0));
        Assert.Equal(1, r.Stats.MergedAtPutback);
    }

    [Fact]
    public void HostZeroesPagesSetsZeroedTogetherWithReported__page_reporting_drain()
    {
        var (alloc, _, _, r) = Setup(hostZeroes: true);
        var blocks = FreeSpaced(alloc, 9, 3);
        r.RunUntil(2 * Second);
        Assert.All(blocks, p => Assert.True(alloc.Map.PageReported(p) && alloc.Map.PageZeroed(p)));
        Assert.Equal(3, r.Stats.BlocksMarkedZeroed);

        var (alloc2, _, _, r2) = Setup(hostZeroes: false);
        var blocks2 = FreeSpaced(alloc2, 9, 3);
        r2.RunUntil(2 * Second);
        Assert.All(blocks2, p => Assert.True(alloc2.Map.PageReported(p) && !alloc2.Map.PageZeroed(p)));
    }

    [Fact]
    public void AFailedReportLeavesTheBlocksUnreportedAndStopsThePass__page_reporting_drain()
    {
        var (alloc, _, device, r) = Setup(hostZeroes: true);
        device.Error = -5;
        var blocks = FreeSpaced(alloc, 9, 40);
        r.RunUntil(2 * Second);
        Assert.Single(device.Calls);
        Assert.All(blocks, p => Assert.True(alloc.Map.PageBuddy(p) && !alloc.Map.PageReported(p) && !alloc.Map.PageZeroed(p)));
        Assert.Equal(1, r.Stats.ReportErrors);
        Assert.Equal(PageReportingState.Idle, r.State);
    }

    [Fact]
    public void IsolationIsRefusedBelowMinWatermarkPlusTheBlock__isolate_free_page()
    {
        var alloc = TestAllocators.Empty(64);
        alloc.FreeOnePage(0, 9, FpiFlags.None);
        var min = alloc.Zones[0].WatermarkPages(Watermark.Min);
        Assert.True(alloc.Zones[0].FreePages <= min + 512 || min == 0);
        alloc.Zones[0].Watermarks[(int)Watermark.Min] = 100;
        Assert.False(alloc.IsolateFreePage(0, 9)); // 512 free ≤ 100 + 512
        alloc.FreeOnePage(2048, 9, FpiFlags.None);
        Assert.True(alloc.IsolateFreePage(0, 9));
        Assert.Equal(PageType.Isolated, alloc.Map.GetPageType(0));
    }

    [Fact]
    public void IsolationRetypesMergeablePageblocksMovableAndClearsReported__isolate_free_page()
    {
        var alloc = TestAllocators.Empty(64);
        alloc.SetPageblockType(0, MigrateType.Reclaimable);
        alloc.SetPageblockType(512, MigrateType.Reclaimable);
        alloc.FreeOnePage(0, 10, FpiFlags.None);
        alloc.FreeOnePage(4096, 9, FpiFlags.None);
        alloc.Map.SetPageReportedNonAtomic(0);
        Assert.True(alloc.IsolateFreePage(0, 10));
        Assert.Equal(MigrateType.Movable, alloc.PageblockType(0));
        Assert.Equal(MigrateType.Movable, alloc.PageblockType(512));
        Assert.False(alloc.Map.PageReported(0));
        Assert.Equal(10, alloc.PutbackIsolatedPage(0, 10, alloc.PageblockType(0)));
        Assert.Equal(MigrateType.Movable, alloc.FreeListTypeOf(0));
        TestAllocators.AssertConsistent(alloc);
    }

    [Theory]
    [InlineData("mainline", MigrateType.Movable)]
    [InlineData("6.1", MigrateType.Reclaimable)]
    public void AnOrder8IsolationRetypesItsPageblockAndMainlineAlsoMovesItsFreeBlocks__isolate_free_page(string kernel, MigrateType otherBlockList)
    {
        var a = TestAllocators.Empty(64, KernelProfile.FromName(kernel));
        a.SetPageblockType(0, MigrateType.Reclaimable);
        a.FreeOnePage(0, 8, FpiFlags.None);
        a.FreeOnePage(384, 7, FpiFlags.None);  // another free block of the same pageblock
        a.FreeOnePage(2048, 9, FpiFlags.None); // headroom for the watermark
        Assert.True(a.IsolateFreePage(0, 8));
        Assert.Equal(MigrateType.Movable, a.PageblockType(0));
        Assert.Equal(otherBlockList, a.FreeListTypeOf(384));

        // Below pageblock_order - 1 nothing is re-typed.
        Assert.True(a.IsolateFreePage(384, 7));
        a.SetPageblockType(4096, MigrateType.Reclaimable);
        a.FreeOnePage(4096, 7, FpiFlags.None);
        Assert.True(a.IsolateFreePage(4096, 7));
        Assert.Equal(MigrateType.Reclaimable, a.PageblockType(4096));
    }

    [Fact]
    public void ReportedIsClearedWhenTheBlockLeavesItsList__del_page_from_free_list()
    {
        var (alloc, _, _, r) = Setup();
        FreeSpaced(alloc, 9, 2, startPfn: 0);
        r.RunUntil(2 * Second);
        Assert.True(alloc.Map.PageReported(0));
        // Its buddy is freed: the merge unlinks the reported block, the order-10 head is unreported.
        alloc.FreeOnePage(512, 9, FpiFlags.None);
        Assert.Equal(10, alloc.Map.GetOrder(0));
        Assert.False(alloc.Map.PageReported(0));
        Assert.False(alloc.Map.PageUptodate(512)); // an interior page now: the underlying bit, not the alias
        Assert.Equal(PageReportingState.Requested, r.State);
    }

    [Fact]
    public void FlushReportsEverythingNowWithoutWaiting__page_reporting_flush()
    {
        var (alloc, clock, _, r) = Setup(mib: 1024);
        FreeSpaced(alloc, 9, 200);
        var pages = r.Flush(0);
        Assert.Equal(0, clock.NowNs);
        Assert.Equal(200L << 9, pages);
        Assert.Equal(200, r.Stats.BlocksReported[9]);
        Assert.Equal(PageReportingState.Idle, r.State);
        Assert.Null(r.WorkDueAtNs);

        // The budget counts reported pages as page_reporting.c does (free blocks): 512 covers all 200 blocks here.
        var (alloc2, _, _, r2) = Setup(mib: 1024);
        FreeSpaced(alloc2, 9, 200);
        Assert.Equal(200L << 9, r2.Flush(512));

        // A budget reached by the first pass (64 blocks: two calls of 32, the per-list budget) ends the flush there
        // and leaves the rest to the delayed work; so does the other reading of the budget, 512 4 KiB pages.
        foreach (var (budget, unit) in new[] { (64L, FlushBudgetUnit.ReportedBlocks), (512L, FlushBudgetUnit.BasePages) })
        {
            var (alloc3, _, _, r3) = Setup(mib: 1024);
            FreeSpaced(alloc3, 9, 200);
            Assert.Equal(64L << 9, r3.Flush(budget, unit));
            Assert.Equal(PageReportingState.Requested, r3.State);
            Assert.Equal(2 * Second, r3.WorkDueAtNs);
        }
    }

    [Fact]
    public void PgZeroedFollowsTheDevicesAnswerPerEntry_InFullAndLeftoverBatches__page_reporting_drain()
    {
        var alloc = TestAllocators.Empty(256);
        Array.Clear(alloc.Zones[0].Watermarks);
        var device = new RecordingDevice { HostZeroesPages = true, Initialized = b => (b.Pfn >> 10) % 2 == 0 };
        var reporting = new PageReporting(alloc, new SimClock(), device, 9);
        var blocks = FreeSpaced(alloc, 9, 40); // one full batch of 32 and a leftover of 8

        reporting.Flush(0);
        Assert.Equal([32, 8], device.Calls.Select(c => c.Length));
        foreach (var pfn in blocks)
        {
            Assert.True(alloc.Map.PageReported(pfn));
            Assert.Equal((pfn >> 10) % 2 == 0, (alloc.Map.Flags[pfn] & PageFlagAccessors.ZeroedMask) != 0);
        }
    }

    [Fact]
    public void APutBackBlockGoesToTheTail_OrMergesWithItsFreeBuddy__putback_isolated_page()
    {
        var (alloc, _, _, _) = Setup(mib: 256);
        alloc.FreeOnePage(2048, 9, FpiFlags.None);
        Assert.True(alloc.IsolateFreePage(2048, 9, checkWatermark: false));
        alloc.FreeOnePage(8192, 9, FpiFlags.None);

        Assert.Equal(9, alloc.PutbackIsolatedPage(2048, 9, MigrateType.Movable));
        Assert.Equal([8192, 2048], TestAllocators.FreeList(alloc, 9, MigrateType.Movable));

        Assert.True(alloc.IsolateFreePage(2048, 9, checkWatermark: false));
        alloc.FreeOnePage(2560, 9, FpiFlags.None); // the isolated block's buddy
        Assert.Equal(10, alloc.PutbackIsolatedPage(2048, 9, MigrateType.Movable));
        Assert.Equal(10, alloc.Map.GetOrder(2048));
    }

    [Fact]
    public void UnregisterStopsTheNotificationsAndCancelsThePendingPass__page_reporting_unregister()
    {
        var (alloc, _, _, r) = Setup(mib: 256);
        Assert.NotNull(r.WorkDueAtNs);
        r.Unregister();
        Assert.False(r.Registered);
        Assert.Null(r.WorkDueAtNs);
        alloc.FreeOnePage(2048, 9, FpiFlags.None);
        Assert.Null(r.WorkDueAtNs);
        Assert.Equal(0, r.Flush(0));
    }
}
