namespace EcsMm.Mm;

/// <summary>The allocator's entry points: __alloc_pages / get_page_from_freelist / rmqueue, and __free_pages.</summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// __alloc_pages(): walk the zonelist from the highest zone the GFP flags allow down to DMA; in each zone that
    /// passes the watermark, rmqueue() (pcp for pcp orders, else buddy), check_new_page, prep_new_page. The fast
    /// path uses the low watermark; the slow path retries at the min watermark (reclaim, compaction and OOM are
    /// not modelled, so that is where an allocation fails). A failure is counted and returned, never thrown.
    /// </summary>
    public AllocResult AllocPages(Gfp gfp, int order, int cpu = 0)
    {
        if ((uint)order > MmConstants.MaxPageOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "order must be 0..MAX_PAGE_ORDER (10)");
        }

        var mt = GfpRules.MigrateTypeOf(gfp);
        var result = GetPageFromFreelist(gfp, order, mt, Watermark.Low, cpu);
        if (!result.Success)
        {
            result = GetPageFromFreelist(gfp, order, mt, Watermark.Min, cpu);
        }

        if (result.Success)
        {
            Stats.AllocSuccess++;
        }
        else
        {
            Stats.AllocFail++;
        }

        return result;
    }

    private AllocResult GetPageFromFreelist(Gfp gfp, int order, MigrateType mt, Watermark mark, int cpu)
    {
        var highest = (int)GfpRules.HighestZone(gfp);
        var preferredByType = _preferredZone ??= BuildPreferredZones();
        var preferred = preferredByType[highest];
        if (preferred < 0)
        {
            return AllocResult.Failed(order);
        }

        var flags = _noFragment![highest] ? AllocFlags.NoFragment : AllocFlags.None;

        var zones = Zones;
        while (true)
        {
            for (var z = preferred; z >= 0; z--)
            {
                var zone = zones[z];

                // Mainline detects ZONE_BELOW_HIGH here (not in the hotter free path); above high, the zone is used
                // without the allocation's own watermark check.
                var aboveHigh = false;
                if (Profile.Pcp == PcpTuning.Mainline && !zone.BelowHigh)
                {
                    aboveHigh = ZoneWatermarkOk(z, order, zone.WatermarkPages(Watermark.High));
                    zone.BelowHigh = !aboveHigh;
                }

                if (!aboveHigh && !ZoneWatermarkOk(z, order, zone.WatermarkPages(mark)))
                {
                    continue;
                }

                // rmqueue loops while check_new_pages() finds the page bad: a bad page is left out of circulation.
                int pfn;
                do
                {
                    pfn = RmqueueInZone(z, order, mt, flags, cpu);
                }
                while (pfn >= 0 && !CheckNewPages(pfn, order));

                if (pfn < 0)
                {
                    continue;
                }

                Stats.PgAlloc[(int)zone.Type] += 1L << order;
                return PrepNewPage(pfn, order, gfp);
            }

            if ((flags & AllocFlags.NoFragment) == 0)
            {
                return AllocResult.Failed(order);
            }

            flags &= ~AllocFlags.NoFragment;
        }
    }

    private int[]? _preferredZone;
    private bool[]? _noFragment;

    /// <summary>
    /// The zonelist's first zone for each gfp_zone() result (the highest zone of a type at or below it, −1 when
    /// none), and alloc_flags_nofragment(): a preferred ZONE_NORMAL avoids fragmenting first (the model has one node).
    /// Zones are fixed at construction, so this is computed once.
    /// </summary>
    private int[] BuildPreferredZones()
    {
        var types = Enum.GetValues<ZoneType>().Length;
        var preferredByType = new int[types];
        var noFragment = new bool[types];
        for (var highest = 0; highest < types; highest++)
        {
            var preferred = -1;
            for (var z = Zones.Length - 1; z >= 0; z--)
            {
                if ((int)Zones[z].Type <= highest)
                {
                    preferred = z;
                    break;
                }
            }

            preferredByType[highest] = preferred;
            // One node (UMA): any preferred ZONE_NORMAL; the populated-DMA32 check is only for nr_online_nodes > 1.
            noFragment[highest] = preferred >= 0 && Zones[preferred].Type == ZoneType.Normal;
        }

        _noFragment = noFragment;
        return preferredByType;
    }

    /// <summary>rmqueue(): pcp orders go through the per-cpu list, the others to buddy.</summary>
    internal int RmqueueInZone(int zone, int order, MigrateType mt, AllocFlags flags, int cpu)
    {
        if (PerCpuPages.AllowedOrder(order) && (int)mt < MigrateTypes.PcpTypes)
        {
            var pfn = RmqueuePcplist(zone, order, mt, flags, cpu);
            if (pfn >= 0)
            {
                return pfn;
            }
        }

        return RmqueueBuddy(zone, order, mt, flags);
    }

    /// <summary>
    /// __free_pages() / free_frozen_pages(): free_pages_prepare, then pcp orders go to the head of the per-cpu list
    /// of the pageblock's type (HighAtomic and CMA pages to the Movable list, Isolate pages straight to buddy); other
    /// orders go to buddy with free_one_page(FPI_NONE).
    /// </summary>
    /// <returns>False when the page was bad and not freed.</returns>
    public bool FreePages(int pfn, int order, int cpu = 0)
    {
        if (!FreePagesPrepare(pfn, order))
        {
            return false;
        }

        FreePreparedPages(pfn, order, cpu);
        return true;
    }

    /// <summary>The part of free_frozen_pages() after free_pages_prepare(): pcp or buddy.</summary>
    private void FreePreparedPages(int pfn, int order, int cpu)
    {
        Stats.PgFree += 1L << order;
        if (!PerCpuPages.AllowedOrder(order))
        {
            FreeOnePage(pfn, order, FpiFlags.None);
            return;
        }

        var pageblock = pfn >> MmConstants.PageblockOrder;
        var mt = (MigrateType)PageblockMigrateType[pageblock];
        if ((int)mt >= MigrateTypes.PcpTypes)
        {
            if (mt == MigrateType.Isolate)
            {
                FreeOnePage(pfn, order, FpiFlags.None);
                return;
            }

            mt = MigrateType.Movable;
        }

        FreeUnrefPageCommit(ZoneOfPageblock[pageblock], pfn, order, mt, cpu);
    }
}
