using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>Freeing and merging rules of __free_one_page().</summary>
public sealed class FreeOnePageTests
{
    [Fact]
    public void MergesWithTheFreeBuddyAtPfnXorSize__free_one_page()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(4, 0, 2, MigrateType.Movable, FpiFlags.None);
        var final = a.FreeOnePageCore(0, 0, 2, MigrateType.Movable, FpiFlags.None);

        Assert.Equal(3, final);
        Assert.Equal([0], TestAllocators.FreeList(a, 3, MigrateType.Movable));
        Assert.Empty(TestAllocators.FreeList(a, 2, MigrateType.Movable));
        Assert.True(a.Map.PageBuddy(0));
        Assert.False(a.Map.PageBuddy(4));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void DoesNotMergeWhenTheBuddyHasAnotherOrder__page_is_buddy()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(6, 0, 1, MigrateType.Movable, FpiFlags.None);   // buddy of [4,6) at order 1 is 6
        var final = a.FreeOnePageCore(0, 0, 2, MigrateType.Movable, FpiFlags.None);   // buddy of [0,4) is 4, not free

        Assert.Equal(2, final);
        Assert.Equal(1, a.FreeBlocks(0, 1));
        Assert.Equal(1, a.FreeBlocks(0, 2));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void DoesNotMergeAcrossZones__page_is_buddy()
    {
        // A 2 MiB DMA zone: PFNs [0, 512) and [512, 1024) are order-9 buddies in different zones.
        var config = new MemoryConfig { GuestBytes = 8L << 20, DmaLimitBytes = 2L << 20, Reserved = [], PcpHigh = 64, PcpBatch = 8 };
        var a = new PageAlloc(new MemMap(config.PageCount), config) { Validate = true };
        a.Boot();

        Assert.Equal(2, a.Zones.Length);
        Assert.Equal(1, a.FreeBlocks(0, 9));
        Assert.Equal(0, a.FreeBlocks(0, 10));
        Assert.Equal(1, a.FreeBlocks(1, 9));
        Assert.Equal(1, a.FreeBlocks(1, 10));
        Assert.Equal(-1, a.FindBuddy(0, 9));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void StopsMergingAtPageblockOrderWhenATypeIsNotMergeable__free_one_page()
    {
        var a = TestAllocators.Empty();
        a.SetPageblockType(512, MigrateType.Isolate);
        a.FreeOnePageCore(512, 0, 9, MigrateType.Isolate, FpiFlags.None);
        var final = a.FreeOnePageCore(0, 0, 9, MigrateType.Movable, FpiFlags.None);

        Assert.Equal(9, final);
        Assert.Equal([0], TestAllocators.FreeList(a, 9, MigrateType.Movable));
        Assert.Equal([512], TestAllocators.FreeList(a, 9, MigrateType.Isolate));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void MergesMismatchedMergeableTypesAndRetypesTheBuddyPageblock__free_one_page()
    {
        var a = TestAllocators.Empty();
        a.SetPageblockType(512, MigrateType.Unmovable);
        a.FreeOnePageCore(512, 0, 9, MigrateType.Unmovable, FpiFlags.None);
        var final = a.FreeOnePageCore(0, 0, 9, MigrateType.Movable, FpiFlags.None);

        Assert.Equal(10, final);
        Assert.Equal(MigrateType.Movable, a.PageblockType(512));
        Assert.Equal([0], TestAllocators.FreeList(a, 10, MigrateType.Movable));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void PlacesTheBlockAtTheTailWithFpiToTail__free_one_page()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 0, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(8, 0, 0, MigrateType.Movable, FpiFlags.ToTail);
        a.FreeOnePageCore(16, 0, 0, MigrateType.Movable, FpiFlags.None);

        Assert.Equal([16, 0, 8], TestAllocators.FreeList(a, 0, MigrateType.Movable));
    }

    [Fact]
    public void PlacesTheBlockAtTheTailWhenTheHigherBuddyIsFree__buddy_merge_likely()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(2, 0, 1, MigrateType.Movable, FpiFlags.None);   // [2,4): the order-1 buddy of the order-1 block [0,2)
        a.FreeOnePageCore(100, 0, 0, MigrateType.Movable, FpiFlags.None); // an unrelated order-0 block at the head
        a.FreeOnePageCore(0, 0, 0, MigrateType.Movable, FpiFlags.None);   // buddy 1 is not free; the combined [0,2)'s buddy [2,4) is

        Assert.Equal([100, 0], TestAllocators.FreeList(a, 0, MigrateType.Movable));
        a.FreeOnePageCore(200, 0, 0, MigrateType.Movable, FpiFlags.None); // no higher buddy free: head
        Assert.Equal([200, 100, 0], TestAllocators.FreeList(a, 0, MigrateType.Movable));
    }

    [Fact]
    public void NotifiesReportingWithTheFinalOrderUnlessSkipped__page_reporting_notify_free()
    {
        var a = TestAllocators.Empty();
        var notifier = new RecordingNotifier(reportingOrder: 3);
        a.ReportingNotifier = notifier;

        a.FreeOnePageCore(4, 0, 2, MigrateType.Movable, FpiFlags.None);    // final order 2 < 3: no notification
        a.FreeOnePageCore(0, 0, 2, MigrateType.Movable, FpiFlags.None);    // merges to 3: notified
        a.FreeOnePageCore(16, 0, 3, MigrateType.Movable, FpiFlags.SkipReportNotify); // merges to 4 but skipped

        Assert.Equal([3], notifier.Orders);
    }

    private sealed class RecordingNotifier(int reportingOrder) : IFreePageNotifier
    {
        public List<int> Orders { get; } = [];

        public int ReportingOrder => reportingOrder;

        public void NotifyFree(int zone, int order) => Orders.Add(order);
    }

    [Fact]
    public void TheBuddyIsAtPfnXorSize_AndCountsOnlyAsAFreeHeadOfTheSameOrder__find_buddy_page_pfn()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(4, 0, 2, MigrateType.Movable, FpiFlags.None);   // [4, 8) free at order 2

        Assert.Equal(4, a.FindBuddy(0, 2));    // 0 ^ 4
        Assert.Equal(-1, a.FindBuddy(4, 2));   // 4 ^ 4 = 0 is not free
        Assert.Equal(-1, a.FindBuddy(6, 1));   // 6 ^ 2 = 4 is free, but at order 2, not 1
        Assert.Equal(-1, a.FindBuddy(12, 0));  // 12 ^ 1 = 13 lies in no free block
        Assert.Equal(-1, a.FindBuddy(2, 0));   // 2 ^ 1 = 3 is allocated
    }

    [Theory]
    [InlineData(MigrateType.Unmovable, true)]
    [InlineData(MigrateType.Movable, true)]
    [InlineData(MigrateType.Reclaimable, true)]
    [InlineData(MigrateType.HighAtomic, false)]
    [InlineData(MigrateType.Cma, false)]
    [InlineData(MigrateType.Isolate, false)]
    public void OnlyThePcpTypesMergeWithAPageblockOfAnotherType__migratetype_is_mergeable(MigrateType mt, bool mergeable)
    {
        Assert.Equal(mergeable, MigrateTypes.IsMergeable(mt));

        var a = TestAllocators.Empty();
        a.SetPageblockType(512, mt);
        a.FreeOnePageCore(512, 0, 9, mt, FpiFlags.None);
        var final = a.FreeOnePageCore(0, 0, 9, MigrateType.Movable, FpiFlags.None);

        Assert.Equal(mergeable ? 10 : 9, final);
    }

    [Fact]
    public void MainlineFreesABlockLargerThanAPageblockPerPageblockWithEachOnesType__split_large_buddy()
    {
        var a = TestAllocators.Empty();
        a.SetPageblockType(512, MigrateType.Isolate);

        a.FreeOnePage(0, 10, FpiFlags.None);

        // Each half goes to its own pageblock's list, and the isolated half is neither merged nor counted free.
        Assert.Equal([0], TestAllocators.FreeList(a, 9, MigrateType.Movable));
        Assert.Equal([512], TestAllocators.FreeList(a, 9, MigrateType.Isolate));
        Assert.Equal(0, a.FreeBlocks(0, 10));
        Assert.Equal(512, a.Zones[0].FreePages);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void Linux61FreesTheWholeBlockWithTheFirstPageblocksType__split_large_buddy()
    {
        var a = TestAllocators.Empty(kernel: KernelProfile.Linux61);
        a.SetPageblockType(512, MigrateType.Isolate);

        a.FreeOnePage(0, 10, FpiFlags.None);

        // 6.1 has no split_large_buddy(): free_one_page() takes the head's pageblock type for all 1024 pages.
        Assert.Equal([0], TestAllocators.FreeList(a, 10, MigrateType.Movable));
        Assert.Empty(TestAllocators.FreeList(a, 9, MigrateType.Isolate));
        Assert.Equal(1024, a.Zones[0].FreePages);
    }
}
