using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>Per-cpu lists: rmqueue_bulk, __rmqueue_pcplist, free_unref_page_commit, free_pcppages_bulk.</summary>
public sealed class PcpTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(8, false)]
    [InlineData(9, true)]
    [InlineData(10, false)]
    public void PcpHoldsOrdersUpToCostlyOrderAndTheThpOrder__pcp_allowed_order(int order, bool allowed)
    {
        Assert.Equal(allowed, PerCpuPages.AllowedOrder(order));
    }

    [Fact]
    public void RefillTakesABatchFromBuddyInPhysicalOrderAndAllocationPopsTheHead__rmqueue_bulk()
    {
        var a = TestAllocators.SingleZone(kernel: KernelProfile.Linux61, pcpHigh: 64, pcpBatch: 8);

        var first = a.AllocPages(Gfp.HighUserMovable, 0);
        var second = a.AllocPages(Gfp.HighUserMovable, 0);

        // 6.1 refills batch = 8 order-0 pages; expand hands them out lowest first.
        Assert.Equal(0, first.Pfn);
        Assert.Equal(1, second.Pfn);
        var pcp = a.Pcp.PcpId(0, 0);
        Assert.Equal(6, a.Pcp.Count[pcp]);
        Assert.Equal(1, a.Stats.PcpRefills);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void FreedPagesGoToTheHeadAndAreReusedFirst__free_unref_page_commit()
    {
        var a = TestAllocators.SingleZone(pcpHigh: 64, pcpBatch: 8);
        var x = a.AllocPages(Gfp.HighUserMovable, 0).Pfn;
        var y = a.AllocPages(Gfp.HighUserMovable, 0).Pfn;

        a.FreePages(x, 0);
        a.FreePages(y, 0);

        Assert.Equal(y, a.AllocPages(Gfp.HighUserMovable, 0).Pfn);
        Assert.Equal(x, a.AllocPages(Gfp.HighUserMovable, 0).Pfn);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void PcpPagesAreNotPageBuddyAndDoNotMerge__free_unref_page_commit()
    {
        var a = TestAllocators.SingleZone(pcpHigh: 64, pcpBatch: 8);
        var p = a.AllocPages(Gfp.HighUserMovable, 0).Pfn;

        a.FreePages(p, 0);

        Assert.Equal(PageType.Pcp, a.Map.GetPageType(p));
        Assert.False(a.Map.PageBuddy(p));
        Assert.Equal(-1, a.FindBuddy(p ^ 1, 0) == p ? p : -1);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void DrainsFromTheTailWhenCountReachesHigh__free_pcppages_bulk()
    {
        var a = TestAllocators.SingleZone(kernel: KernelProfile.Linux61, pcpHigh: 16, pcpBatch: 4);
        var pages = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            pages.Add(a.AllocPages(Gfp.HighUserMovable, 0).Pfn);
        }

        var pcp = a.Pcp.PcpId(0, 0);
        var before = a.Pcp.Count[pcp];
        foreach (var p in pages)
        {
            a.FreePages(p, 0);
            Assert.True(a.Pcp.Count[pcp] < 16, "count must drop below high after every free");
        }

        Assert.True(a.Stats.PcpDrainedPages > 0);

        // The coldest (first freed, at the tail) went back to buddy first; the last freed is still on pcp.
        Assert.Equal(PageType.Pcp, a.Map.GetPageType(pages[^1]));
        Assert.NotEqual(PageType.Pcp, a.Map.GetPageType(pages[0]));
        Assert.True(before >= 0);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void DrainAllPagesLeavesNoPageOnPcpAndMergesEverythingBack__drain_all_pages()
    {
        var a = TestAllocators.SingleZone(mib: 64);
        var before = TestAllocators.BuddyInfo(a);
        var blocks = new List<(int Pfn, int Order)>();
        for (var i = 0; i < 200; i++)
        {
            var order = i % 16 == 15 ? 9 : i % 4;
            var r = a.AllocPages(Gfp.HighUserMovable, order);
            Assert.True(r.Success);
            blocks.Add((r.Pfn, order));
        }

        foreach (var (pfn, order) in blocks)
        {
            a.FreePages(pfn, order);
        }

        a.DrainAllPages();

        Assert.Equal(0, a.Pcp.Count[a.Pcp.PcpId(0, 0)]);
        Assert.Equal(before, TestAllocators.BuddyInfo(a));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void ZoneBatchSizeOfAOneGiBZoneIs63__zone_batchsize()
    {
        // The real 6.1 guest in the shipped data: DMA32 managed 242093 pages, batch 63.
        Assert.Equal(63, PageAlloc.ZoneBatchSize(242093));
    }

    [Fact]
    public void PcpOrdersAreFreedToThePcpList_OthersStraightToBuddy__free_frozen_pages()
    {
        var a = TestAllocators.SingleZone(mib: 16);
        var small = a.AllocPages(Gfp.HighUserMovable, 0).Pfn;
        var large = a.AllocPages(Gfp.HighUserMovable, 4).Pfn;
        a.FreePages(small, 0);
        a.FreePages(large, 4);
        Assert.Equal(PageType.Pcp, a.Map.GetPageType(small));
        Assert.True(a.Map.PageBuddy(large) || a.Map.PageBuddy(a.FindFreeBlockHead(large, 4, out _)));
    }

    [Fact]
    public void TheFastPathNeedsTheLowWatermark_TheSlowPathSettlesForMin__alloc_pages()
    {
        var a = TestAllocators.SingleZone(mib: 16, pcpHigh: 0, pcpBatch: 1);
        var free = a.Zones[0].FreePages;
        a.Zones[0].Watermarks[(int)Watermark.Min] = free - 100;
        a.Zones[0].Watermarks[(int)Watermark.Low] = free + 100;
        a.Zones[0].Watermarks[(int)Watermark.High] = free + 200;
        Assert.True(a.AllocPages(Gfp.HighUserMovable, 0).Success); // below low, above min: the slow path serves it

        a.Zones[0].Watermarks[(int)Watermark.Min] = free + 100;
        var fails = a.Stats.AllocFail;
        Assert.False(a.AllocPages(Gfp.HighUserMovable, 0).Success); // below min: no reclaim to fall back on
        Assert.Equal(fails + 1, a.Stats.AllocFail);
    }

    [Theory]
    [InlineData(MigrateType.Unmovable, 0, 2, 0)]
    [InlineData(MigrateType.Movable, 0, 2, 1)]
    [InlineData(MigrateType.Reclaimable, 0, 2, 2)]
    [InlineData(MigrateType.Movable, 1, 2, 4)]
    [InlineData(MigrateType.Reclaimable, 3, 2, 11)]
    [InlineData(MigrateType.Unmovable, 9, 2, 12)]
    [InlineData(MigrateType.Reclaimable, 9, 2, 12)]
    [InlineData(MigrateType.Movable, 9, 2, 13)]
    [InlineData(MigrateType.Movable, 9, 1, 12)]
    public void LowOrdersGetOneListPerTypeAndTheThpOrderItsOwn_MovableApartWithTwoThpLists__order_to_pindex_pindex_to_order(
        MigrateType mt, int order, int thpLists, int pindex)
    {
        var pcp = new PerCpuPages(new MemMap(16), 1, 1, thpLists);

        Assert.Equal(pindex, pcp.OrderToPindex(mt, order));
        Assert.Equal(order, PerCpuPages.PindexToOrder(pindex));
        Assert.Equal(12 + thpLists, pcp.ListsPerPcp);
    }

    [Fact]
    public void AnEmptyListIsRefilledOnce_ThenEachAllocationPopsTheHeadWithoutBuddy__rmqueue_pcplist()
    {
        var a = TestAllocators.SingleZone(kernel: KernelProfile.Linux61, pcpHigh: 64, pcpBatch: 8);
        var pcp = a.Pcp.PcpId(0, 0);

        var pfns = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            pfns.Add(a.RmqueuePcplist(0, 0, MigrateType.Movable, AllocFlags.None));
        }

        // One refill of a batch (8), then seven hits; every page leaves the list typeless (not PageBuddy, not pcp).
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], pfns);
        Assert.Equal(1, a.Stats.PcpRefills);
        Assert.Equal(7, a.Stats.PcpHits);
        Assert.Equal(0, a.Pcp.Count[pcp]);
        Assert.All(pfns, p => Assert.Equal(PageType.None, a.Map.GetPageType(p)));

        // The Unmovable list of the same pcp is separate: it needs its own refill.
        a.RmqueuePcplist(0, 0, MigrateType.Unmovable, AllocFlags.None);
        Assert.Equal(2, a.Stats.PcpRefills);

        // The list ran dry: the next Movable allocation refills again.
        a.RmqueuePcplist(0, 0, MigrateType.Movable, AllocFlags.None);
        Assert.Equal(3, a.Stats.PcpRefills);
    }

    [Fact]
    public void EveryCpusPcpOfAZoneGetsTheZonesBatchAndHigh__pageset_update()
    {
        var config = new MemoryConfig { GuestBytes = 6L << 30, Cpus = 4 };
        var a = new PageAlloc(new MemMap(config.PageCount), config);
        a.Boot();

        foreach (var zone in a.Zones)
        {
            var first = a.Pcp.State(a.Pcp.PcpId(0, zone.Index));
            Assert.Equal(Math.Max(1, PageAlloc.ZoneBatchSize(zone.ManagedPages)), first.Batch);   // new_batch = max(1, zone_batchsize())
            for (var cpu = 1; cpu < 4; cpu++)
            {
                var s = a.Pcp.State(a.Pcp.PcpId(cpu, zone.Index));
                Assert.Equal(first.Batch, s.Batch);
                Assert.Equal(first.HighMin, s.HighMin);
                Assert.Equal(first.HighMax, s.HighMax);
            }
        }

        // Zones of different sizes get different batches.
        Assert.NotEqual(a.Pcp.Batch[a.Pcp.PcpId(0, 0)], a.Pcp.Batch[a.Pcp.PcpId(0, a.Zones.Length - 1)]);
    }
    [Theory]
    [InlineData("6.1", MigrateType.Movable)]
    [InlineData("mainline", MigrateType.Unmovable)]
    public void Linux61DrainsAPcpPageToTheTypeCachedAtItsFree_MainlineToItsPageblocksCurrentType__set_pcppage_migratetype(string kernel, MigrateType drainedTo)
    {
        var a = TestAllocators.Empty(kernel: KernelProfile.FromName(kernel));
        a.FreePages(0, 0);   // its buddy (pfn 1) stays allocated: no merge
        Assert.Equal(MigrateType.Movable, a.Map.GetListType(0));   // the pageblock's type, cached on the pcp page

        // The pageblock changes type while the page sits on the pcp list (nothing on the free lists to move).
        a.SetPageblockType(0, MigrateType.Unmovable);
        a.DrainAllPages();

        Assert.Equal([0], TestAllocators.FreeList(a, 0, drainedTo));
        Assert.Empty(TestAllocators.FreeList(a, 0, drainedTo == MigrateType.Movable ? MigrateType.Unmovable : MigrateType.Movable));
    }

    [Fact]
    public void ARefillCachesTheRequestedTypeEvenOnPagesStolenFromAnotherTypesPageblock__set_pcppage_migratetype()
    {
        var a = TestAllocators.Empty(kernel: KernelProfile.Linux61);
        a.SetPageblockType(512, MigrateType.Unmovable);
        a.FreeOnePageCore(512, 0, 3, MigrateType.Unmovable, FpiFlags.None);   // the only free memory: 8 Unmovable pages

        var r = a.AllocPages(Gfp.HighUserMovable, 0);   // a small Movable request only steals, never claims

        Assert.InRange(r.Pfn, 512, 519);
        Assert.Equal(MigrateType.Unmovable, a.PageblockType(512));
        var onPcp = Enumerable.Range(512, 8).Where(p => a.Map.GetPageType(p) == PageType.Pcp).ToList();
        Assert.Equal(7, onPcp.Count);
        Assert.All(onPcp, p => Assert.Equal(MigrateType.Movable, a.Map.GetListType(p)));
        var refills = a.Stats.PcpRefills;
        Assert.Equal(onPcp[0], a.RmqueuePcplist(0, 0, MigrateType.Movable, AllocFlags.None));   // served from the Movable pcp list
        Assert.Equal(refills, a.Stats.PcpRefills);
        Assert.Equal(-1, a.RmqueuePcplist(0, 0, MigrateType.Unmovable, AllocFlags.None));   // nothing on the Unmovable list or in buddy
    }
}
