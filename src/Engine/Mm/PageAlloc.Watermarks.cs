namespace EcsMm.Mm;

/// <summary>
/// Watermarks: calculate_min_free_kbytes, khugepaged's set_recommended_min_free_kbytes, and
/// __setup_per_zone_wmarks.
/// </summary>
public sealed partial class PageAlloc
{
    /// <summary>vm.min_free_kbytes in effect.</summary>
    public long MinFreeKbytes { get; private set; }

    /// <summary>Transparent hugepages enabled (always or madvise): khugepaged runs and its recommendation applies.</summary>
    public bool ThpEnabled { get; private set; }

    /// <summary>
    /// A write to /sys/kernel/mm/transparent_hugepage/enabled: start_stop_khugepaged() then
    /// set_recommended_min_free_kbytes(). With THP off, calculate_min_free_kbytes() again, now that
    /// nr_free_buffer_pages() is Σ (managed − high watermark); with THP on, the recommendation if it is more than
    /// min_free_kbytes. Then setup_per_zone_wmarks(): the watermarks and, for every zone, zone_pcp_update() (batch
    /// and high from the new low watermark; nothing is drained until the next free finds the list over high).
    /// </summary>
    public void SetThpEnabled(bool enabled)
    {
        ThpEnabled = enabled;
        long minFreeKb;
        if (!enabled)
        {
            // calculate_min_free_kbytes(): the new value replaces min_free_kbytes only if it exceeds a value the user
            // set (user_min_free_kbytes); otherwise min_free_kbytes stays what it is, a khugepaged raise included.
            var computed = IntSqrt(NrFreeBufferPages() * (MmConstants.PageSize / 1024) * 16);
            minFreeKb = Config.MinFreeKbytes is not { } user || computed > user ? Math.Clamp(computed, 128, 262144) : MinFreeKbytes;
        }
        else
        {
            minFreeKb = Math.Max(MinFreeKbytes, RecommendedMinFreeKbytes());
        }

        SetWatermarks(minFreeKb);
        ZonePcpUpdate();
    }

    /// <summary>
    /// calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes × 16), clamped to [128, 262144] kB, where lowmem is
    /// nr_free_buffer_pages() at boot (the managed pages: no watermarks yet); then __setup_per_zone_wmarks(): each
    /// zone's min is its share of min_free_kbytes by managed pages; low = min + max(min / 4, managed ×
    /// watermark_scale_factor / 10000); high = low + the same step. With THP, khugepaged's start then runs
    /// set_recommended_min_free_kbytes(): pageblock_nr_pages × zones × (2 + MIGRATE_PCPTYPES²), at most 5 % of
    /// nr_free_buffer_pages() — by then Σ (managed − high watermark) — and, when that is more, sets min_free_kbytes
    /// to it and the watermarks again.
    /// </summary>
    public void SetupPerZoneWmarks()
    {
        if (Config.MinFreeKbytes is { } set)
        {
            SetWatermarks(set);
            return;
        }

        SetWatermarks(Math.Clamp(IntSqrt(NrFreeBufferPages() * (MmConstants.PageSize / 1024) * 16), 128, 262144));
        if (ThpEnabled && RecommendedMinFreeKbytes() is var recommended && recommended > MinFreeKbytes)
        {
            SetWatermarks(recommended);
        }
    }

    /// <summary>
    /// nr_free_buffer_pages(): Σ over the zones (all at or below ZONE_NORMAL here) of managed pages above the high
    /// watermark; the managed pages themselves before the watermarks are set.
    /// </summary>
    public long NrFreeBufferPages()
    {
        long pages = 0;
        foreach (var z in Zones)
        {
            pages += Math.Max(0, z.ManagedPages - z.Watermarks[(int)Watermark.High]);
        }

        return pages;
    }

    /// <summary>
    /// set_recommended_min_free_kbytes()'s value: pageblock_nr_pages × zones × (2 + MIGRATE_PCPTYPES²), at most 5 %
    /// of nr_free_buffer_pages(), in kB.
    /// </summary>
    private long RecommendedMinFreeKbytes()
    {
        var recommended = (long)MmConstants.PageblockNrPages * Zones.Length * (2 + (MigrateTypes.PcpTypes * MigrateTypes.PcpTypes));
        return Math.Min(recommended, NrFreeBufferPages() / 20) * (MmConstants.PageSize / 1024);
    }

    /// <summary>The lowmem pages __setup_per_zone_wmarks() shares min_free_kbytes by: every zone's managed pages.</summary>
    private long LowmemPages()
    {
        long pages = 0;
        foreach (var z in Zones)
        {
            pages += z.ManagedPages;
        }

        return pages;
    }

    /// <summary>__setup_per_zone_wmarks()'s min watermark of a zone: its share of <paramref name="pagesMin"/> by managed pages.</summary>
    private static long MinShare(long pagesMin, Zone zone, long lowmemPages) =>
        lowmemPages == 0 ? 0 : pagesMin * zone.ManagedPages / lowmemPages;

    /// <summary>__setup_per_zone_wmarks() for <paramref name="minFreeKb"/>.</summary>
    private void SetWatermarks(long minFreeKb)
    {
        MinFreeKbytes = minFreeKb;
        var pagesMin = minFreeKb / (MmConstants.PageSize / 1024);
        var lowmemPages = LowmemPages();
        foreach (var z in Zones)
        {
            var min = MinShare(pagesMin, z, lowmemPages);
            var step = Math.Max(min >> 2, z.ManagedPages * Config.WatermarkScaleFactor / 10000);
            z.Watermarks[(int)Watermark.Min] = min;
            z.Watermarks[(int)Watermark.Low] = min + step;
            z.Watermarks[(int)Watermark.High] = min + (2 * step);
        }
    }

    /// <summary>
    /// min_free_kbytes is not in a buddy dump: the smallest value whose __setup_per_zone_wmarks() shares are the zones'
    /// min watermarks; the sum of the mins when none fits. Call once every zone is restored.
    /// </summary>
    public void RestoreMinFreeKbytes()
    {
        var lowmem = LowmemPages();
        long sum = 0;
        foreach (var z in Zones)
        {
            sum += z.Watermarks[(int)Watermark.Min];
        }

        for (var pagesMin = sum; lowmem > 0 && pagesMin <= sum + Zones.Length; pagesMin++)
        {
            var fits = true;
            foreach (var z in Zones)
            {
                fits &= MinShare(pagesMin, z, lowmem) == z.Watermarks[(int)Watermark.Min];
            }

            if (fits)
            {
                MinFreeKbytes = pagesMin * (MmConstants.PageSize / 1024);
                return;
            }
        }

        MinFreeKbytes = sum * (MmConstants.PageSize / 1024);
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
