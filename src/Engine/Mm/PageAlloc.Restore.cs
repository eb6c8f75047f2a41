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
        Pcp.Count[pcp] += 1 << order;
    }

    /// <summary>Set one CPU's pcp parameters for a zone.</summary>
    public void RestorePcpParameters(int cpu, int zone, int high, int batch, int freeFactor)
    {
        var pcp = Pcp.PcpId(cpu, zone);
        Pcp.High[pcp] = high;
        Pcp.HighMin[pcp] = high;
        Pcp.HighMax[pcp] = high;
        Pcp.Batch[pcp] = batch;
        Pcp.FreeFactor[pcp] = freeFactor;
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
    }
}
