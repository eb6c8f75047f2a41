namespace EcsMm.Mm;

/// <summary>
/// Linux 6.1 migratetype fallback: __rmqueue_fallback, find_suitable_fallback with can_steal, and
/// steal_suitable_fallback (the free pages of the pageblock move to the new type even when the block is not claimed).
/// </summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// 6.1 find_suitable_fallback(only_stealable: false): the first fallback type with a free block at this order,
    /// and whether can_steal_fallback() allows taking its whole pageblock.
    /// </summary>
    private int FindSuitableFallback61(int zone, int order, MigrateType mt, out bool canSteal)
    {
        canSteal = false;
        if (FreeBlocks(zone, order) == 0 || (int)mt >= MigrateTypes.PcpTypes)
        {
            return -1;
        }

        foreach (var fallback in Fallbacks[(int)mt])
        {
            if (FreeListEmpty(zone, order, fallback))
            {
                continue;
            }

            // can_steal_fallback() is the same predicate as mainline's should_try_claim_block().
            canSteal = ShouldTryClaimBlock(order, mt);
            return (int)fallback;
        }

        return -1;
    }

    /// <summary>
    /// 6.1 __rmqueue_fallback(): find the largest fallback block (from MAX_ORDER − 1 down); a Movable request that
    /// cannot steal the whole block takes the smallest fallback block instead. steal_suitable_fallback() then
    /// moves the block (or its pageblock's free pages) to the requested type; the caller retries
    /// __rmqueue_smallest.
    /// </summary>
    private bool RmqueueFallback61(int zone, int order, MigrateType startMt, AllocFlags flags)
    {
        var minOrder = order;
        if (order < MmConstants.PageblockOrder && (flags & AllocFlags.NoFragment) != 0)
        {
            minOrder = MmConstants.PageblockOrder;
        }

        var found = -1;
        var foundOrder = -1;
        var canSteal = false;
        for (var current = MmConstants.MaxPageOrder; current >= minOrder; current--)
        {
            var fallback = FindSuitableFallback61(zone, current, startMt, out canSteal);
            if (fallback == -1)
            {
                continue;
            }

            if (!canSteal && startMt == MigrateType.Movable && current > order)
            {
                // find_smallest
                for (current = order; current < MmConstants.NrPageOrders; current++)
                {
                    fallback = FindSuitableFallback61(zone, current, startMt, out canSteal);
                    if (fallback != -1)
                    {
                        break;
                    }
                }
            }

            found = fallback;
            foundOrder = current;
            break;
        }

        if (found < 0 || foundOrder >= MmConstants.NrPageOrders)
        {
            return false;
        }

        var pfn = FirstFree(zone, foundOrder, (MigrateType)found);
        StealSuitableFallback61(zone, pfn, foundOrder, startMt, canSteal);
        Stats.ExtFrag++;
        return true;
    }

    /// <summary>
    /// 6.1 steal_suitable_fallback(): at ≥ pageblock_order re-type the pageblocks and move the block; below it,
    /// with can_steal, move all free pages of the pageblock to the new type and re-type the pageblock if free +
    /// alike pages reach half of it; otherwise move only this block to the new type's list (single_page).
    /// </summary>
    internal void StealSuitableFallback61(int zone, int pfn, int currentOrder, MigrateType startType, bool wholeBlock)
    {
        var oldBlockType = PageblockType(pfn);
        if (oldBlockType == MigrateType.HighAtomic)
        {
            MoveToFreeList(pfn, zone, currentOrder, startType);
            return;
        }

        if (currentOrder >= MmConstants.PageblockOrder)
        {
            ChangePageblockRange(pfn, currentOrder, startType);
            Stats.PageblockClaims += 1 << (currentOrder - MmConstants.PageblockOrder);
            MoveToFreeList(pfn, zone, currentOrder, startType);
            return;
        }

        if (!wholeBlock)
        {
            MoveToFreeList(pfn, zone, currentOrder, startType);
            return;
        }

        if (!PrepMoveFreepagesBlock(zone, pfn, out var startPfn, out _, out var movablePages))
        {
            MoveToFreeList(pfn, zone, currentOrder, startType);
            return;
        }

        var freePages = MoveFreepagesBlock(zone, startPfn, startType);
        if (freePages == 0)
        {
            MoveToFreeList(pfn, zone, currentOrder, startType);
            return;
        }

        int alikePages;
        if (startType == MigrateType.Movable)
        {
            alikePages = movablePages;
        }
        else
        {
            alikePages = oldBlockType == MigrateType.Movable ? MmConstants.PageblockNrPages - (freePages + movablePages) : 0;
        }

        if (freePages + alikePages >= (1 << (MmConstants.PageblockOrder - 1)))
        {
            SetPageblockType(pfn, startType);
            Stats.PageblockClaims++;
        }
    }
}
