namespace EcsMm.Mm;

/// <summary>Freeing and merging: __free_one_page, buddy_merge_likely, free_one_page / split_large_buddy.</summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// find_buddy_page_pfn() + page_is_buddy(): the buddy of a block is at <c>pfn ^ (1 &lt;&lt; order)</c>; it can merge
    /// only if it is PageBuddy, of the same order, and in the same zone. Returns the buddy PFN or −1.
    /// </summary>
    internal int FindBuddy(int pfn, int order)
    {
        var buddy = pfn ^ (1 << order);
        if ((uint)buddy >= (uint)_flags.Length)
        {
            return -1;
        }

        var w = _flags[buddy];
        if ((w & MemMap.TypeMask) != ((uint)PageType.Buddy << MemMap.TypeShift))
        {
            return -1;
        }

        if ((int)((w & MemMap.OrderMask) >> MemMap.OrderShift) != order)
        {
            return -1;
        }

        return ZoneIndexOf(buddy) == ZoneIndexOf(pfn) ? buddy : -1;
    }

    /// <summary>
    /// __free_one_page(): put a block of 2^order pages starting at <paramref name="pfn"/> on the free lists, merging it
    /// with its buddy while the buddy is free, same order and same zone. At order ≥ pageblock_order the merge stops
    /// when the types differ and either is not mergeable (migratetype_is_mergeable); mainline re-types a mismatched
    /// mergeable buddy's pageblock ("match buddy type"). The merged head goes to the tail with FPI_TO_TAIL or when
    /// buddy_merge_likely() says the next-higher buddy is free, else to the head. Unless FPI_SKIP_REPORT_NOTIFY,
    /// free page reporting is notified with the final order.
    /// </summary>
    /// <returns>The final order of the block.</returns>
    public int FreeOnePageCore(int pfn, int zone, int order, MigrateType mt, FpiFlags fpi)
    {
        AccountFreePages(zone, 1L << order, mt);
        var zeroed = (_flags[pfn] & PageFlagAccessors.ZeroedMask) != 0;
        var lastBuddy = pfn ^ (1 << order);

        while (order < MmConstants.MaxPageOrder)
        {
            var buddy = FindBuddy(pfn, order);
            lastBuddy = pfn ^ (1 << order);
            if (buddy < 0)
            {
                break;
            }

            var buddyMt = ListTypeOf(buddy);
            if (order >= MmConstants.PageblockOrder)
            {
                var blockMt = PageblockType(buddy);
                if (mt != blockMt && (!MigrateTypes.IsMergeable(mt) || !MigrateTypes.IsMergeable(blockMt)))
                {
                    break;
                }
            }

            var buddyZeroed = (_flags[buddy] & PageFlagAccessors.ZeroedMask) != 0;
            zeroed = (Config.Bugs & Truth.PlantedBugs.MergeWithoutAnd) != 0 ? zeroed | buddyZeroed : zeroed & buddyZeroed;
            DelFromFreeList(buddy, zone, order);
            _flags[buddy] &= ~PageFlagAccessors.ZeroedMask;
            if (order >= MmConstants.PageblockOrder && Profile.MatchBuddyTypeOnMerge && PageblockType(buddy) != mt)
            {
                SetPageblockType(buddy, mt);
            }

            // The buddy's free pages were accounted to its type: move them to ours.
            if (buddyMt != mt)
            {
                AccountFreePages(zone, -(1L << order), buddyMt);
                AccountFreePages(zone, 1L << order, mt);
            }

            var combined = buddy & pfn;
            if (combined != pfn)
            {
                _flags[pfn] &= ~PageFlagAccessors.ZeroedMask;
            }

            pfn = combined;
            order++;
            Stats.BuddyMerges++;
        }

        // PG_zeroed on the merged head only if every part was zeroed (seed patch 4).
        if (zeroed)
        {
            _flags[pfn] |= PageFlagAccessors.ZeroedMask;
        }
        else
        {
            _flags[pfn] &= ~PageFlagAccessors.ZeroedMask;
        }

        bool toTail;
        if ((fpi & FpiFlags.ToTail) != 0)
        {
            toTail = true;
        }
        else
        {
            toTail = BuddyMergeLikely(pfn, lastBuddy, order);
        }

        AddToFreeList(pfn, zone, order, mt, toTail);
        // page_reporting_notify_free(): only with a registered device, and only for orders ≥ page_reporting_order.
        if ((fpi & FpiFlags.SkipReportNotify) == 0 && ReportingNotifier is { } notifier && order >= notifier.ReportingOrder)
        {
            notifier.NotifyFree(zone, order);
        }

        return order;
    }

    /// <summary>
    /// buddy_merge_likely(): if the block just freed is not the largest order and the buddy of its next-higher
    /// combined block is free, the block will likely merge soon, so it goes to the tail to stay free longer.
    /// </summary>
    internal bool BuddyMergeLikely(int pfn, int buddyPfn, int order)
    {
        if (order >= MmConstants.MaxPageOrder - 1)
        {
            return false;
        }

        var higher = buddyPfn & pfn;
        return FindBuddy(higher, order + 1) >= 0;
    }

    /// <summary>
    /// free_one_page(): take a block to the free lists under the zone lock. Mainline cuts a block larger than a
    /// pageblock into pageblock pieces (split_large_buddy), each freed with its own pageblock's type.
    /// </summary>
    public void FreeOnePage(int pfn, int order, FpiFlags fpi)
    {
        var zone = ZoneIndexOf(pfn);
        if (Profile.SplitLargeBuddy && order > MmConstants.PageblockOrder)
        {
            var end = pfn + (1 << order);
            var zeroed = (_flags[pfn] & PageFlagAccessors.ZeroedMask) != 0;
            for (var p = pfn; p < end; p += MmConstants.PageblockNrPages)
            {
                if (zeroed)
                {
                    _flags[p] |= PageFlagAccessors.ZeroedMask;
                }

                FreeOnePageCore(p, zone, MmConstants.PageblockOrder, PageblockType(p), fpi);
            }

            return;
        }

        FreeOnePageCore(pfn, zone, order, PageblockType(pfn), fpi);
    }
}
