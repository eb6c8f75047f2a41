namespace EcsMm.Mm;

/// <summary>Free-list primitives: __add_to_free_list, __del_page_from_free_list, move_to_free_list.</summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// __add_to_free_list() + set_buddy_order(): the block becomes PageBuddy and goes to the head (or the tail) of
    /// free_area[order].free_list[mt]; nr_free++.
    /// </summary>
    internal void AddToFreeList(int pfn, int zone, int order, MigrateType mt, bool tail)
    {
        SetState(pfn, PageType.Buddy, order, mt);
        var list = FreeListId(zone, order, mt);
        if (tail)
        {
            FreeLists.AddTail(list, pfn);
        }
        else
        {
            FreeLists.AddHead(list, pfn);
        }

        NrFree[(zone * MmConstants.NrPageOrders) + order]++;
    }

    /// <summary>
    /// __del_page_from_free_list(): clears PG_reported ("clear reported state"), unlinks the block from the list it
    /// is on, clears PageBuddy and the stored order, nr_free--. PG_zeroed stays: the v2 series carries it on.
    /// </summary>
    /// <returns>The migratetype of the list the block was on.</returns>
    internal MigrateType DelFromFreeList(int pfn, int zone, int order)
    {
        var mt = ListTypeOf(pfn);
        _flags[pfn] &= ~PageFlagAccessors.ReportedMask;
        FreeLists.Remove(FreeListId(zone, order, mt), pfn);
        ClearState(pfn);
        NrFree[(zone * MmConstants.NrPageOrders) + order]--;
        return mt;
    }

    /// <summary>move_to_free_list(): move a free block to the tail of another type's list, fixing the accounting.</summary>
    internal void MoveToFreeList(int pfn, int zone, int order, MigrateType newMt)
    {
        var oldMt = ListTypeOf(pfn);
        FreeLists.MoveToTail(FreeListId(zone, order, oldMt), FreeListId(zone, order, newMt), pfn);
        SetState(pfn, PageType.Buddy, order, newMt);
        AccountFreePages(zone, -(1L << order), oldMt);
        AccountFreePages(zone, 1L << order, newMt);
    }

    /// <summary>get_page_from_free_area(): the head of free_area[order].free_list[mt], or −1.</summary>
    internal int FirstFree(int zone, int order, MigrateType mt) => FreeLists.Head[FreeListId(zone, order, mt)];

    /// <summary>free_area_empty().</summary>
    internal bool FreeListEmpty(int zone, int order, MigrateType mt) => FreeLists.IsEmpty(FreeListId(zone, order, mt));

    /// <summary>The migratetype of the free list a free block head is on.</summary>
    public MigrateType FreeListTypeOf(int pfn) => ListTypeOf(pfn);
}
