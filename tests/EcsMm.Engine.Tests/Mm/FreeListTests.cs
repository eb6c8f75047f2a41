using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>
/// The free-list primitives of mm/page_alloc.c (__add_to_free_list, move_to_free_list, get_page_from_free_area,
/// free_area_empty) and the pageblock type they follow (get_pfnblock_migratetype / set_pageblock_migratetype).
/// </summary>
public sealed class FreeListTests
{
    [Fact]
    public void AnAddedBlockIsPageBuddyWithItsOrder_AtTheHeadOrWithToTailAtTheTail_AndCounted__add_to_free_list_set_buddy_order()
    {
        var a = TestAllocators.Empty();

        a.AddToFreeList(0, 0, 2, MigrateType.Movable, tail: false);
        a.AddToFreeList(8, 0, 2, MigrateType.Movable, tail: false);
        a.AddToFreeList(16, 0, 2, MigrateType.Movable, tail: true);

        Assert.Equal([8, 0, 16], TestAllocators.FreeList(a, 2, MigrateType.Movable));
        Assert.Equal(3, a.FreeBlocks(0, 2));
        foreach (var head in new[] { 0, 8, 16 })
        {
            Assert.True(a.Map.PageBuddy(head));
            Assert.Equal(2, a.Map.GetOrder(head));                 // buddy_order() reads what set_buddy_order() stored
            Assert.Equal(MigrateType.Movable, a.FreeListTypeOf(head));
        }

        Assert.False(a.Map.PageBuddy(1));                          // only the head page of a free block is PageBuddy
    }

    [Fact]
    public void TheHeadOfTheListIsTakenAndAnEmptyListHasNone__get_page_from_free_area_free_area_empty()
    {
        var a = TestAllocators.Empty();
        Assert.True(a.FreeListEmpty(0, 3, MigrateType.Unmovable));
        Assert.Equal(-1, a.FirstFree(0, 3, MigrateType.Unmovable));

        a.FreeOnePageCore(0, 0, 3, MigrateType.Unmovable, FpiFlags.None);
        a.FreeOnePageCore(64, 0, 3, MigrateType.Unmovable, FpiFlags.None);

        Assert.False(a.FreeListEmpty(0, 3, MigrateType.Unmovable));
        Assert.True(a.FreeListEmpty(0, 3, MigrateType.Movable));   // one list per migratetype
        Assert.True(a.FreeListEmpty(0, 2, MigrateType.Unmovable)); // and per order
        Assert.Equal(TestAllocators.FreeList(a, 3, MigrateType.Unmovable)[0], a.FirstFree(0, 3, MigrateType.Unmovable));

        a.DelFromFreeList(0, 0, 3);
        a.DelFromFreeList(64, 0, 3);
        Assert.True(a.FreeListEmpty(0, 3, MigrateType.Unmovable));
    }

    [Fact]
    public void AMovedBlockGoesToTheTailOfTheNewTypesList_KeepsReported_AndLeavesNrFreePagesUnlessIsolated__move_to_free_list()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(16, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(64, 0, 3, MigrateType.Unmovable, FpiFlags.None);
        a.Map.SetPageReportedNonAtomic(0);
        Assert.Equal(24, a.Zones[0].FreePages);

        a.MoveToFreeList(0, 0, 3, MigrateType.Unmovable);

        Assert.Equal([64, 0], TestAllocators.FreeList(a, 3, MigrateType.Unmovable));
        Assert.Equal([16], TestAllocators.FreeList(a, 3, MigrateType.Movable));
        Assert.Equal(MigrateType.Unmovable, a.FreeListTypeOf(0));
        Assert.True(a.Map.PageBuddy(0));
        Assert.True(a.Map.PageReported(0));        // only __del_page_from_free_list clears it
        Assert.Equal(3, a.FreeBlocks(0, 3));       // nr_free counts blocks of every type
        Assert.Equal(24, a.Zones[0].FreePages);

        // account_freepages(): pages moved onto an Isolate list leave NR_FREE_PAGES.
        a.MoveToFreeList(16, 0, 3, MigrateType.Isolate);
        Assert.Equal(16, a.Zones[0].FreePages);
        a.MoveToFreeList(16, 0, 3, MigrateType.Movable);
        Assert.Equal(24, a.Zones[0].FreePages);
    }

    [Fact]
    public void ThereIsOneTypePerPageblock_SetThroughAnyOfItsPages__get_pfnblock_migratetype_set_pageblock_migratetype()
    {
        var a = TestAllocators.SingleZone();

        a.SetPageblockType(700, MigrateType.Reclaimable);

        Assert.Equal(MigrateType.Reclaimable, a.PageblockType(512));
        Assert.Equal(MigrateType.Reclaimable, a.PageblockType(1023));
        Assert.Equal(MigrateType.Movable, a.PageblockType(511));
        Assert.Equal(MigrateType.Movable, a.PageblockType(1024));
    }

    [Fact]
    public void AFreedPageGoesToTheListOfItsPageblocksCurrentType__get_pfnblock_migratetype()
    {
        var a = TestAllocators.SingleZone();
        var r = a.AllocPages(Gfp.HighUserMovable, 0);
        Assert.Equal(MigrateType.Movable, a.PageblockType(r.Pfn));

        // The pageblock changes type while the page is in use: the free follows the pageblock, not the GFP flags.
        a.SetPageblockType(r.Pfn, MigrateType.Reclaimable);
        a.FreePages(r.Pfn, 0);

        Assert.Equal(PageType.Pcp, a.Map.GetPageType(r.Pfn));
        Assert.Equal(MigrateType.Reclaimable, a.Map.GetListType(r.Pfn));
        Assert.Equal(r.Pfn, a.AllocPages(Gfp.Kernel | Gfp.Reclaimable, 0).Pfn);
    }
}
