namespace EcsMm.Mm;

/// <summary>Allocation from the free lists: __rmqueue_smallest, expand, page_del_and_expand, __rmqueue, rmqueue_buddy.</summary>
public sealed partial class PageAlloc
{
    private const uint HintMask = PageFlagAccessors.ReportedMask | PageFlagAccessors.ZeroedMask;

    /// <summary>
    /// expand(): split a block of order <paramref name="high"/> down to <paramref name="low"/>. Each step puts the
    /// upper half at the head of free_area[high].free_list[mt]; the caller keeps the lowest 2^low pages. With the v2
    /// series (patch 1, 4, 5) the halves inherit the PG_reported / PG_zeroed <paramref name="hints"/> of the block.
    /// </summary>
    /// <returns>Pages put back on the free lists.</returns>
    internal int Expand(int pfn, int zone, int low, int high, MigrateType mt, uint hints) =>
        SplitBlock(pfn, pfn, zone, low, high, mt, hints);

    /// <summary>
    /// The splitting loop of expand() and break_down_buddy_pages(): halve the block until it is 2^low pages holding
    /// <paramref name="target"/>, putting each other half at the head of free_area[order].free_list[mt] with the block's
    /// hints (v2 series only). expand() is the case target == head. Returns the pages put back on the lists.
    /// </summary>
    private int SplitBlock(int head, int target, int zone, int low, int high, MigrateType mt, uint hints)
    {
        if (!Config.SeriesApplied)
        {
            hints = 0;
        }

        var size = 1 << high;
        var added = 0;
        while (high > low)
        {
            high--;
            size >>= 1;
            int half;
            if (target >= head + size)
            {
                half = head;
                head += size;
            }
            else
            {
                half = head + size;
            }

            AddToFreeList(half, zone, high, mt, tail: false);
            _flags[half] = (_flags[half] & ~HintMask) | hints;
            added += size;
            Stats.BuddySplits++;
        }

        return added;
    }

    /// <summary>
    /// page_del_and_expand(): take a block off its list (which drops PG_reported), split it to the requested
    /// order, and account the pages that left the free lists.
    /// </summary>
    internal void PageDelAndExpand(int pfn, int zone, int low, int high, MigrateType mt)
    {
        var hints = _flags[pfn] & HintMask;
        DelFromFreeList(pfn, zone, high);
        var nrPages = (1 << high) - Expand(pfn, zone, low, high, mt, hints);
        AccountFreePages(zone, -nrPages, mt);
    }

    /// <summary>
    /// __rmqueue_smallest(): for each order from the requested one upward, take the head of free_list[mt] and
    /// split it with expand(). Returns the PFN or −1.
    /// </summary>
    internal int RmqueueSmallest(int zone, int order, MigrateType mt)
    {
        for (var current = order; current < MmConstants.NrPageOrders; current++)
        {
            var pfn = FirstFree(zone, current, mt);
            if (pfn < 0)
            {
                continue;
            }

            PageDelAndExpand(pfn, zone, order, current, mt);
            return pfn;
        }

        return -1;
    }

    /// <summary>
    /// __rmqueue(): the preferred list first, then the kernel profile's fallback (mainline: claim a block, then
    /// steal; 6.1: __rmqueue_fallback and retry). <paramref name="mode"/> carries the mainline rmqueue_mode across
    /// the pages of one rmqueue_bulk batch.
    /// </summary>
    internal int Rmqueue(int zone, int order, MigrateType mt, AllocFlags flags, ref RmqueueMode mode)
    {
        return Profile.Fallback == FallbackRules.ClaimThenSteal
            ? RmqueueMainline(zone, order, mt, flags, ref mode)
            : Rmqueue61(zone, order, mt, flags);
    }

    private int RmqueueMainline(int zone, int order, MigrateType mt, AllocFlags flags, ref RmqueueMode mode)
    {
        int pfn;
        switch (mode)
        {
            case RmqueueMode.Normal:
                pfn = RmqueueSmallest(zone, order, mt);
                if (pfn >= 0)
                {
                    return pfn;
                }

                goto case RmqueueMode.Claim;
            case RmqueueMode.Claim:
                pfn = RmqueueClaim(zone, order, mt, flags);
                if (pfn >= 0)
                {
                    mode = RmqueueMode.Normal;
                    return pfn;
                }

                goto case RmqueueMode.Steal;
            case RmqueueMode.Steal:
                if ((flags & AllocFlags.NoFragment) == 0)
                {
                    pfn = RmqueueSteal(zone, order, mt);
                    if (pfn >= 0)
                    {
                        mode = RmqueueMode.Steal;
                        return pfn;
                    }
                }

                break;
        }

        return -1;
    }

    private int Rmqueue61(int zone, int order, MigrateType mt, AllocFlags flags)
    {
        while (true)
        {
            var pfn = RmqueueSmallest(zone, order, mt);
            if (pfn >= 0)
            {
                return pfn;
            }

            if (!RmqueueFallback61(zone, order, mt, flags))
            {
                return -1;
            }
        }
    }

    /// <summary>rmqueue_buddy(): one block from the free lists under the zone lock.</summary>
    internal int RmqueueBuddy(int zone, int order, MigrateType mt, AllocFlags flags)
    {
        var mode = RmqueueMode.Normal;
        return Rmqueue(zone, order, mt, flags, ref mode);
    }

    /// <summary>
    /// __zone_watermark_ok(): after the request, free pages must stay above the mark; a high-order request also
    /// needs a free block of at least that order on an Unmovable/Movable/Reclaimable list.
    /// (lowmem_reserve, highatomic and CMA reserves are not modelled.)
    /// </summary>
    public bool ZoneWatermarkOk(int zone, int order, long mark)
    {
        var free = Zones[zone].FreePages - ((1L << order) - 1);
        if (free <= mark)
        {
            return false;
        }

        if (order == 0)
        {
            return true;
        }

        for (var o = order; o < MmConstants.NrPageOrders; o++)
        {
            if (FreeBlocks(zone, o) == 0)
            {
                continue;
            }

            for (var mt = 0; mt < MigrateTypes.PcpTypes; mt++)
            {
                if (!FreeListEmpty(zone, o, (MigrateType)mt))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>enum rmqueue_mode (mainline __rmqueue): which step of the fallback ladder to start from.</summary>
public enum RmqueueMode
{
    Normal,
    Claim,
    Steal,
}
