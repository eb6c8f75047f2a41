namespace EcsMm.Mm;

/// <summary>Builds the zones of a guest from its size and the x86-64 zone limits (free_area_init).</summary>
public static class ZoneLayout
{
    public static Zone[] Build(MemoryConfig config)
    {
        var pages = config.PageCount;
        if (pages <= 0 || (config.GuestBytes & (MmConstants.PageSize - 1)) != 0)
        {
            throw new ArgumentException($"guest memory {config.GuestBytes} bytes is not a positive multiple of 4 KiB");
        }

        if (pages % MmConstants.PageblockNrPages != 0)
        {
            throw new ArgumentException($"guest memory must be a multiple of a pageblock (2 MiB); got {config.GuestBytes} bytes");
        }

        if (pages > int.MaxValue)
        {
            throw new ArgumentException($"guest memory of {pages} pages exceeds the model's limit of {int.MaxValue} pages");
        }

        var zones = new List<Zone>();
        if (config.ZoneSpecs is { } specs)
        {
            foreach (var spec in specs)
            {
                if (spec.StartPfn < 0 || spec.EndPfn > pages || (zones.Count > 0 && spec.StartPfn < zones[^1].EndPfn))
                {
                    throw new ArgumentException($"zone {spec.Type} [{spec.StartPfn}, {spec.EndPfn}) does not fit memory of {pages} pages in order");
                }

                zones.Add(new Zone(zones.Count, spec.Type, spec.StartPfn, spec.EndPfn));
            }

            CountManaged(config, zones);
            return [.. zones];
        }

        var start = 0L;
        void Add(ZoneType type, long limitBytes)
        {
            if (limitBytes <= 0 || start >= pages)
            {
                return;
            }

            var end = Math.Min(pages, limitBytes >> MmConstants.PageShift);
            if (end > start)
            {
                zones.Add(new Zone(zones.Count, type, (int)start, (int)end));
                start = end;
            }
        }

        Add(ZoneType.Dma, config.DmaLimitBytes);
        Add(ZoneType.Dma32, config.Dma32LimitBytes);
        if (start < pages)
        {
            zones.Add(new Zone(zones.Count, ZoneType.Normal, (int)start, (int)pages));
        }

        foreach (var z in zones)
        {
            if ((z.StartPfn % MmConstants.PageblockNrPages) != 0)
            {
                throw new ArgumentException($"zone {z.Name} starts at PFN {z.StartPfn}, not on a pageblock boundary");
            }
        }

        CountManaged(config, zones);
        return [.. zones];
    }

    private static void CountManaged(MemoryConfig config, List<Zone> zones)
    {
        foreach (var z in zones)
        {
            long reserved = 0;
            foreach (var r in config.Reserved)
            {
                var lo = Math.Max(r.Start, z.StartPfn);
                var hi = Math.Min(r.End, z.EndPfn);
                if (hi > lo)
                {
                    reserved += hi - lo;
                }
            }

            z.PresentPages = z.SpannedPages;
            z.ManagedPages = z.SpannedPages - reserved;
        }
    }
}
