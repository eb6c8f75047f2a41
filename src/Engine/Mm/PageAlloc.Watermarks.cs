namespace EcsMm.Mm;

/// <summary>
/// Watermarks: calculate_min_free_kbytes, khugepaged's set_recommended_min_free_kbytes, and
/// __setup_per_zone_wmarks.
/// </summary>
public sealed partial class PageAlloc
{
    /// <summary>vm.min_free_kbytes in effect.</summary>
    public long MinFreeKbytes { get; private set; }

    /// <summary>
    /// calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes × 16), clamped to [128, 262144] kB; with THP,
    /// set_recommended_min_free_kbytes() raises it to pageblock_nr_pages × zones × (2 + MIGRATE_PCPTYPES²), at most
    /// 5 % of lowmem. Then __setup_per_zone_wmarks(): each zone's min is its share of min_free_kbytes by managed
    /// pages; low = min + max(min / 4, managed × watermark_scale_factor / 10000); high = low + the same step.
    /// </summary>
    public void SetupPerZoneWmarks()
    {
        long lowmemPages = 0;
        foreach (var z in Zones)
        {
            lowmemPages += z.ManagedPages;
        }

        var lowmemKb = lowmemPages * (MmConstants.PageSize / 1024);
        long minFreeKb;
        if (Config.MinFreeKbytes is { } set)
        {
            minFreeKb = set;
        }
        else
        {
            minFreeKb = Math.Clamp(IntSqrt(lowmemKb * 16), 128, 262144);
            if (Config.ThpEnabled)
            {
                var recommended = (long)MmConstants.PageblockNrPages * Zones.Length * (2 + (MigrateTypes.PcpTypes * MigrateTypes.PcpTypes));
                recommended = Math.Min(recommended, lowmemPages / 20);
                recommended *= MmConstants.PageSize / 1024;
                minFreeKb = Math.Max(minFreeKb, recommended);
            }
        }

        MinFreeKbytes = minFreeKb;
        var pagesMin = minFreeKb / (MmConstants.PageSize / 1024);
        foreach (var z in Zones)
        {
            var min = lowmemPages == 0 ? 0 : pagesMin * z.ManagedPages / lowmemPages;
            var step = Math.Max(min >> 2, z.ManagedPages * Config.WatermarkScaleFactor / 10000);
            z.Watermarks[(int)Watermark.Min] = min;
            z.Watermarks[(int)Watermark.Low] = min + step;
            z.Watermarks[(int)Watermark.High] = min + (2 * step);
        }
    }

    /// <summary>int_sqrt(): the integer square root.</summary>
    public static long IntSqrt(long x)
    {
        if (x <= 0)
        {
            return 0;
        }

        var r = (long)Math.Sqrt(x);
        while (r * r > x)
        {
            r--;
        }

        while ((r + 1) * (r + 1) <= x)
        {
            r++;
        }

        return r;
    }
}
