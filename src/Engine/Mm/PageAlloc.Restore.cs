namespace EcsMm.Mm;

/// <summary>
/// Restoring an exact allocator state (from a real kernel's dump): place free blocks and pcp entries in list
/// order without merging, set watermarks and pcp parameters as given.
/// </summary>
public sealed partial class PageAlloc
{
    /// <summary>Mark every page of every zone allocated and empty every list: the start of a restore.</summary>
    public void RestoreBegin()
    {
        foreach (var z in Zones)
        {
            z.FreePages = 0;
        }

        ForgetThpPcpMarks();

        for (var p = 0; p < Map.PageCount; p++)
        {
            Map.Flags[p] = 0;
        }

        MarkHoles();
    }

    /// <summary>Append a free block to the tail of free_area[order].free_list[mt] (dump order is head first).</summary>
    public void RestoreFreeBlock(int pfn, int order, MigrateType mt, bool reported)
    {
        var zone = ZoneIndexOf(pfn);
        AddToFreeList(pfn, zone, order, mt, tail: true);
        AccountFreePages(zone, 1L << order, mt);
        if (reported)
        {
            _flags[pfn] |= PageFlagAccessors.ReportedMask;
        }
    }

    /// <summary>Append a page to the tail of a pcp list, with the migratetype the kernel cached on it.</summary>
    public void RestorePcpPage(int cpu, int pfn, int pindex, int order, MigrateType cachedMt)
    {
        var zone = ZoneIndexOf(pfn);
        var pcp = Pcp.PcpId(cpu, zone);
        SetState(pfn, PageType.Pcp, order, cachedMt);
        Pcp.Lists.AddTail(Pcp.ListId(pcp, pindex), pfn);
        Pcp.State(pcp).Count += 1 << order;
    }

    /// <summary>
    /// Set one CPU's pcp parameters for a zone from a dump (which records pcp-&gt;high, batch and 6.1's free_factor).
    /// 6.1: high is fixed, so high_min = high_max = high. Mainline: the dumped high is the current, tuned value;
    /// high_min and high_max are recomputed by zone_highsize() from the restored zone (call <see cref="RestoreZone"/>
    /// first) and widened to include it, so auto-tuning goes on from the dumped state.
    /// </summary>
    public void RestorePcpParameters(int cpu, int zone, int high, int batch, int freeFactor)
    {
        ref var s = ref Pcp.State(Pcp.PcpId(cpu, zone));
        s.High = high;
        s.Batch = batch;
        s.FreeFactor = freeFactor;
        if (Profile.Pcp == PcpTuning.Mainline && Config.PcpHigh is null && Config.PercpuPagelistHighFraction == 0)
        {
            var z = Zones[zone];
            s.HighMin = Math.Min(high, ZoneHighSize(z.WatermarkPages(Watermark.Low), batch, Config.Cpus));
            s.HighMax = Math.Max(high, ZoneHighSize(z.ManagedPages / MinPercpuPagelistHighFraction, batch, Config.Cpus));
        }
        else
        {
            s.HighMin = s.HighMax = high;
        }
    }

    /// <summary>Set a zone's managed pages and watermarks.</summary>
    public void RestoreZone(int zone, long present, long managed, long min, long low, long high)
    {
        var z = Zones[zone];
        z.PresentPages = present;
        z.ManagedPages = managed;
        z.Watermarks[(int)Watermark.Min] = min;
        z.Watermarks[(int)Watermark.Low] = low;
        z.Watermarks[(int)Watermark.High] = high;
        z.BelowHigh = false;
    }
}
