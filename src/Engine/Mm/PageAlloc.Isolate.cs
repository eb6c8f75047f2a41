namespace EcsMm.Mm;

/// <summary>Isolation for free page reporting: __isolate_free_page and __putback_isolated_page.</summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// __isolate_free_page(): unless its pageblock is Isolate, the block may be taken only if the zone stays above
    /// WMARK_MIN + 2^order free pages. It leaves its list (dropping PG_reported) and, at order ≥ pageblock_order − 1,
    /// every mergeable pageblock it covers is re-typed Movable: with its other free blocks (move_freepages_block) in
    /// mainline, the type alone (set_pageblock_migratetype) in 6.1 (<see cref="KernelProfile.IsolateMovesFreePages"/>).
    /// The block is typed Isolated while it is off the lists.
    /// </summary>
    public bool IsolateFreePage(int pfn, int order, bool checkWatermark = true)
    {
        var zone = ZoneIndexOf(pfn);
        var mt = PageblockType(pfn);
        if (checkWatermark && mt != MigrateType.Isolate)
        {
            var mark = Zones[zone].WatermarkPages(Watermark.Min) + (1L << order);
            if (!ZoneWatermarkOk(zone, 0, mark))
            {
                return false;
            }
        }

        var listMt = DelFromFreeList(pfn, zone, order);
        AccountFreePages(zone, -(1L << order), listMt);
        if (order >= MmConstants.PageblockOrder - 1)
        {
            var end = pfn + (1 << order) - 1;
            for (var p = pfn; p < end; p += MmConstants.PageblockNrPages)
            {
                var blockMt = PageblockType(p);
                if (MigrateTypes.IsMergeable(blockMt) && blockMt != MigrateType.Movable)
                {
                    if (Profile.IsolateMovesFreePages)
                    {
                        MoveFreepagesBlock(zone, p & ~(MmConstants.PageblockNrPages - 1), MigrateType.Movable);
                    }

                    SetPageblockType(p, MigrateType.Movable);
                }
            }
        }

        SetState(pfn, PageType.Isolated, order, listMt);
        return true;
    }

    /// <summary>
    /// __putback_isolated_page(): return an isolated block with __free_one_page(FPI_SKIP_REPORT_NOTIFY |
    /// FPI_TO_TAIL) to its pageblock's list. Returns the final order: larger than <paramref name="order"/> when it
    /// merged on the way back.
    /// </summary>
    public int PutbackIsolatedPage(int pfn, int order, MigrateType mt)
    {
        ClearState(pfn);
        return FreeOnePageCore(pfn, ZoneIndexOf(pfn), order, mt, FpiFlags.SkipReportNotify | FpiFlags.ToTail);
    }
}
