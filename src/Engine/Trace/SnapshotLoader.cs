using EcsMm.Mm;

namespace EcsMm.Trace;

/// <summary>
/// Builds an allocator in exactly the state a buddy dump recorded: zones with their spans, managed pages and
/// watermarks; every free block on its list in list order with its PG_reported flag; every pcp list with its
/// count, high and batch; every pageblock's migratetype. Pages neither free nor on a pcp list are allocated.
/// </summary>
public static class SnapshotLoader
{
    /// <summary>Load a dump file (plain or gzip).</summary>
    public static PageAlloc Load(string path, KernelProfile? kernel = null, bool seriesApplied = false)
        => Load(BuddyDumpReader.Read(path), kernel, seriesApplied);

    /// <summary>Build the allocator the dump describes. The kernel profile defaults to Linux 6.1 (the dumps' kernel).</summary>
    public static PageAlloc Load(BuddyDump dump, KernelProfile? kernel = null, bool seriesApplied = false)
    {
        var specs = new List<ZoneSpec>();
        long end = 0;
        var cpus = 1;
        foreach (var z in dump.Zones)
        {
            var type = z.Name switch
            {
                "DMA" => ZoneType.Dma,
                "DMA32" => ZoneType.Dma32,
                "Normal" => ZoneType.Normal,
                _ => throw new TraceFormatException(dump.SourceName, 0, $"a zone named DMA, DMA32 or Normal (got '{z.Name}')", z.Name),
            };

            // The model's zones start on a pageblock boundary; a DMA zone starting at PFN 1 starts at 0 with PFN 0 a hole.
            var start = (int)(z.StartPfn & ~(MmConstants.PageblockNrPages - 1L));
            var zoneEnd = (int)(z.StartPfn + z.Spanned);
            specs.Add(new ZoneSpec(type, start, zoneEnd));
            end = Math.Max(end, zoneEnd);
            foreach (var c in z.PcpParameters)
            {
                cpus = Math.Max(cpus, c.Cpu + 1);
            }
        }

        var pages = (end + MmConstants.MaxOrderNrPages - 1) & ~(MmConstants.MaxOrderNrPages - 1L);
        var config = new MemoryConfig
        {
            GuestBytes = pages << MmConstants.PageShift,
            ZoneSpecs = specs,
            Reserved = [],
            Cpus = cpus,
            Kernel = kernel ?? KernelProfile.Linux61,
            SeriesApplied = seriesApplied,
            ThpEnabled = true,
        };

        var alloc = new PageAlloc(new MemMap(config.PageCount), config);
        alloc.RestoreBegin();
        for (var zi = 0; zi < dump.Zones.Count; zi++)
        {
            var z = dump.Zones[zi];
            if (z.StartPfn > specs[zi].StartPfn)
            {
                for (var p = specs[zi].StartPfn; p < z.StartPfn; p++)
                {
                    alloc.Map.SetPageType(p, PageType.Reserved);
                }
            }

            alloc.RestoreZone(zi, z.Present, z.Managed, z.Min, z.Low, z.High);
            foreach (var b in z.Pageblocks)
            {
                alloc.SetPageblockType((int)b.Pfn, (MigrateType)b.Migratetype);
            }

            foreach (var f in z.FreeBlocks)
            {
                alloc.RestoreFreeBlock((int)f.Pfn, f.Order, (MigrateType)f.Migratetype, f.Reported);
            }

            foreach (var c in z.PcpParameters)
            {
                alloc.RestorePcpParameters(c.Cpu, zi, c.High, c.Batch, c.FreeFactor);
            }

            foreach (var p in z.PcpPages)
            {
                alloc.RestorePcpPage(p.Cpu, (int)p.Pfn, p.ListIndex, p.Order, (MigrateType)p.Migratetype);
            }
        }

        alloc.RestoreMinFreeKbytes();
        return alloc;
    }
}
