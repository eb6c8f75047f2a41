using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>Allocation from the free lists: __rmqueue_smallest and expand().</summary>
public sealed class RmqueueTests
{
    [Fact]
    public void TakesTheHeadOfTheSmallestNonEmptyList__rmqueue_smallest()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(64, 0, 2, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(128, 0, 2, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(512, 0, 4, MigrateType.Movable, FpiFlags.None);

        Assert.Equal(128, a.RmqueueSmallest(0, 1, MigrateType.Movable));
        Assert.Equal([130], TestAllocators.FreeList(a, 1, MigrateType.Movable));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void PutsTheUpperHalvesAtTheListHeadsAndKeepsTheLowestPages__expand()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(1024, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(2048, 0, 1, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(3072, 0, 2, MigrateType.Movable, FpiFlags.None);

        var pfn = a.RmqueueSmallest(0, 0, MigrateType.Movable);   // order 1 list has 2048: split it

        Assert.Equal(2048, pfn);
        Assert.Equal([2049], TestAllocators.FreeList(a, 0, MigrateType.Movable));

        pfn = a.RmqueueSmallest(0, 1, MigrateType.Movable);       // order 2 has 3072
        Assert.Equal(3072, pfn);
        Assert.Equal([3074], TestAllocators.FreeList(a, 1, MigrateType.Movable));

        pfn = a.RmqueueSmallest(0, 0, MigrateType.Movable);       // order 0 head is 2049
        Assert.Equal(2049, pfn);
        pfn = a.RmqueueSmallest(0, 0, MigrateType.Movable);       // order 1 head 3074 splits: keeps 3074, 3075 to order 0
        Assert.Equal(3074, pfn);
        Assert.Equal([3075], TestAllocators.FreeList(a, 0, MigrateType.Movable));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void ExpandPutsEachHalfAtTheHeadOfItsOrderList__expand()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(8, 0, 0, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(1024, 0, 3, MigrateType.Movable, FpiFlags.None);

        Assert.Equal(1024, a.RmqueueSmallest(0, 0, MigrateType.Movable) is var first && first == 8 ? a.RmqueueSmallest(0, 0, MigrateType.Movable) : first);
        Assert.Equal([1025], TestAllocators.FreeList(a, 0, MigrateType.Movable));
        Assert.Equal([1026], TestAllocators.FreeList(a, 1, MigrateType.Movable));
        Assert.Equal([1028], TestAllocators.FreeList(a, 2, MigrateType.Movable));
        Assert.Equal(7, a.Zones[0].FreePages);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void ReturnsNoPageWhenEveryListIsEmpty__rmqueue_smallest()
    {
        var a = TestAllocators.Empty();
        Assert.Equal(-1, a.RmqueueSmallest(0, 0, MigrateType.Movable));
    }

    [Fact]
    public void ClearsPgReportedWhenABlockLeavesItsList__del_page_from_free_list()
    {
        var a = TestAllocators.Empty(series: false);
        a.FreeOnePageCore(0, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.Map.SetPageReportedNonAtomic(0);

        var pfn = a.RmqueueSmallest(0, 0, MigrateType.Movable);

        Assert.Equal(0, pfn);
        Assert.False(a.Map.PageUptodate(0));
        Assert.False(a.Map.PageUptodate(4)); // mainline does not copy PG_reported to the halves
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void TakesTheBlockOffItsList_GivesBackTheUpperHalves_AndAccountsOnlyTheAllocatedPages__page_del_and_expand()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(512, 0, 3, MigrateType.Movable, FpiFlags.None);
        var free = a.Zones[0].FreePages;

        a.PageDelAndExpand(512, 0, 0, 3, MigrateType.Movable);
        Assert.Equal(free - 1, a.Zones[0].FreePages);
        Assert.Equal([516], TestAllocators.FreeList(a, 2, MigrateType.Movable));
        Assert.Equal([514], TestAllocators.FreeList(a, 1, MigrateType.Movable));
        Assert.Equal([513], TestAllocators.FreeList(a, 0, MigrateType.Movable));
        Assert.Empty(TestAllocators.FreeList(a, 3, MigrateType.Movable));
    }

    [Fact]
    public void TakesTheBlockStraightFromTheFreeListsWithoutThePcpLists__rmqueue_buddy()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(1024, 0, 4, MigrateType.Movable, FpiFlags.None);
        var pcpBefore = a.Pcp.State(a.Pcp.PcpId(0, 0)).Count;

        Assert.Equal(1024, a.RmqueueBuddy(0, 4, MigrateType.Movable, AllocFlags.None));
        Assert.Equal(pcpBefore, a.Pcp.State(a.Pcp.PcpId(0, 0)).Count);
        Assert.Equal(-1, a.RmqueueBuddy(0, 4, MigrateType.Movable, AllocFlags.None));
    }
}
