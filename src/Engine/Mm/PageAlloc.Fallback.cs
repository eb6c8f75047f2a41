namespace EcsMm.Mm;

/// <summary>
/// Mainline migratetype fallback (6.15+): the fallbacks table, find_suitable_fallback, should_try_claim_block,
/// __rmqueue_claim / try_to_claim_block and __rmqueue_steal.
/// </summary>
public sealed partial class PageAlloc
{
    /// <summary>fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1].</summary>
    internal static readonly MigrateType[][] Fallbacks =
    [
        [MigrateType.Reclaimable, MigrateType.Movable],   // Unmovable
        [MigrateType.Reclaimable, MigrateType.Unmovable], // Movable
        [MigrateType.Unmovable, MigrateType.Movable],     // Reclaimable
    ];

    /// <summary>
    /// should_try_claim_block(): claim whole pageblocks for orders ≥ pageblock_order / 2, and for any order when the
    /// request is Unmovable or Reclaimable; small Movable requests steal instead.
    /// </summary>
    internal static bool ShouldTryClaimBlock(int order, MigrateType startMt)
    {
        if (order >= MmConstants.PageblockOrder)
        {
            return true;
        }

        return order >= MmConstants.PageblockOrder / 2 || startMt == MigrateType.Reclaimable || startMt == MigrateType.Unmovable;
    }

    /// <summary>
    /// find_suitable_fallback(): −2 when a claim at this order should not be tried (stop the scan), −1 when no
    /// fallback list of this order has a block, otherwise the first fallback type with a free block.
    /// </summary>
    internal int FindSuitableFallback(int zone, int order, MigrateType mt, bool claimable)
    {
        if (claimable && !ShouldTryClaimBlock(order, mt))
        {
            return -2;
        }

        if (FreeBlocks(zone, order) == 0 || (int)mt >= MigrateTypes.PcpTypes)
        {
            return -1;
        }

        foreach (var fallback in Fallbacks[(int)mt])
        {
            if (!FreeListEmpty(zone, order, fallback))
            {
                return (int)fallback;
            }
        }

        return -1;
    }

    /// <summary>
    /// __rmqueue_claim(): scan from MAX_PAGE_ORDER down to the requested order (pageblock_order with
    /// ALLOC_NOFRAGMENT) for a fallback block, and try to claim its pageblock for the requested type.
    /// </summary>
    internal int RmqueueClaim(int zone, int order, MigrateType startMt, AllocFlags flags)
    {
        var minOrder = order;
        if (order < MmConstants.PageblockOrder && (flags & AllocFlags.NoFragment) != 0)
        {
            minOrder = MmConstants.PageblockOrder;
        }

        for (var current = MmConstants.MaxPageOrder; current >= minOrder; current--)
        {
            var fallback = FindSuitableFallback(zone, current, startMt, claimable: true);
            if (fallback == -1)
            {
                continue;
            }

            if (fallback == -2)
            {
                break;
            }

            var pfn = FirstFree(zone, current, (MigrateType)fallback);
            pfn = TryToClaimBlock(zone, pfn, current, order, startMt, (MigrateType)fallback);
            if (pfn >= 0)
            {
                Stats.ExtFrag++;
                return pfn;
            }
        }

        return -1;
    }

    /// <summary>
    /// try_to_claim_block(): a block of pageblock order or more is taken whole, its pageblocks re-typed
    /// (change_pageblock_range) and split onto the new type's lists. A smaller block claims its pageblock only if
    /// free + compatible pages fill at least half of it: then all its free blocks move to the new type
    /// (__move_freepages_block), the pageblock is re-typed, and __rmqueue_smallest serves the request.
    /// (boost_watermark is not modelled: no kswapd.)
    /// </summary>
    internal int TryToClaimBlock(int zone, int pfn, int currentOrder, int order, MigrateType startType, MigrateType blockType)
    {
        if (currentOrder >= MmConstants.PageblockOrder)
        {
            // del_page_from_free_list + change_pageblock_range + expand onto start_type: page_del_and_expand with the
            // pageblocks re-typed (the accounting only differs for Isolate, which is never a fallback type).
            ChangePageblockRange(pfn, currentOrder, startType);
            PageDelAndExpand(pfn, zone, order, currentOrder, startType);
            Stats.PageblockClaims += 1 << (currentOrder - MmConstants.PageblockOrder);
            return pfn;
        }

        if (!PrepMoveFreepagesBlock(zone, pfn, out var startPfn, out var freePages, out var movablePages))
        {
            return -1;
        }

        int alikePages;
        if (startType == MigrateType.Movable)
        {
            alikePages = movablePages;
        }
        else
        {
            alikePages = blockType == MigrateType.Movable ? MmConstants.PageblockNrPages - (freePages + movablePages) : 0;
        }

        if (freePages + alikePages >= (1 << (MmConstants.PageblockOrder - 1)))
        {
            MoveFreepagesBlock(zone, startPfn, startType);
            SetPageblockType(startPfn, startType);
            Stats.PageblockClaims++;
            return RmqueueSmallest(zone, order, startType);
        }

        return -1;
    }

    /// <summary>
    /// __rmqueue_steal(): from the requested order upward, take the head of the first fallback list with a block
    /// and split it onto the fallback type's own lists; the pageblock keeps its type.
    /// </summary>
    internal int RmqueueSteal(int zone, int order, MigrateType startMt)
    {
        for (var current = order; current < MmConstants.NrPageOrders; current++)
        {
            var fallback = FindSuitableFallback(zone, current, startMt, claimable: false);
            if (fallback == -1)
            {
                continue;
            }

            var pfn = FirstFree(zone, current, (MigrateType)fallback);
            PageDelAndExpand(pfn, zone, order, current, (MigrateType)fallback);
            Stats.ExtFrag++;
            return pfn;
        }

        return -1;
    }

    /// <summary>change_pageblock_range(): re-type every pageblock a block of 2^order pages spans.</summary>
    internal void ChangePageblockRange(int pfn, int order, MigrateType mt)
    {
        var blocks = order >= MmConstants.PageblockOrder ? 1 << (order - MmConstants.PageblockOrder) : 1;
        for (var i = 0; i < blocks; i++)
        {
            SetPageblockType(pfn + (i * MmConstants.PageblockNrPages), mt);
        }
    }

    /// <summary>
    /// prep_move_freepages_block(): count the free pages (PageBuddy blocks) and the movable pages (PG_lru) of the
    /// pageblock holding <paramref name="pfn"/>; false when the pageblock is not wholly inside the zone.
    /// </summary>
    internal bool PrepMoveFreepagesBlock(int zone, int pfn, out int startPfn, out int freePages, out int movablePages)
    {
        startPfn = pfn & ~(MmConstants.PageblockNrPages - 1);
        var end = startPfn + MmConstants.PageblockNrPages;
        freePages = 0;
        movablePages = 0;
        var z = Zones[zone];
        if (startPfn < z.StartPfn || end > z.EndPfn)
        {
            return false;
        }

        for (var p = startPfn; p < end;)
        {
            var w = _flags[p];
            if ((w & MemMap.TypeMask) == ((uint)PageType.Buddy << MemMap.TypeShift))
            {
                var n = 1 << (int)((w & MemMap.OrderMask) >> MemMap.OrderShift);
                freePages += n;
                p += n;
                continue;
            }

            if ((w & PageFlagAccessors.LruMask) != 0)
            {
                movablePages++;
            }

            p++;
        }

        return true;
    }

    /// <summary>__move_freepages_block(): move every free block of the pageblock to the tail of <paramref name="newMt"/>'s lists.</summary>
    internal int MoveFreepagesBlock(int zone, int startPfn, MigrateType newMt)
    {
        var moved = 0;
        var end = startPfn + MmConstants.PageblockNrPages;
        for (var p = startPfn; p < end;)
        {
            var w = _flags[p];
            if ((w & MemMap.TypeMask) != ((uint)PageType.Buddy << MemMap.TypeShift))
            {
                p++;
                continue;
            }

            var order = (int)((w & MemMap.OrderMask) >> MemMap.OrderShift);
            MoveToFreeList(p, zone, order, newMt);
            moved += 1 << order;
            p += 1 << order;
        }

        return moved;
    }
}
