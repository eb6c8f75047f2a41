using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>Watermarks: __zone_watermark_ok and __setup_per_zone_wmarks.</summary>
public sealed class WatermarkTests
{
    [Fact]
    public void AnOrderZeroRequestNeedsFreePagesAboveTheMark__zone_watermark_ok()
    {
        var a = TestAllocators.SingleZone(mib: 16);   // 4096 free pages
        Assert.True(a.ZoneWatermarkOk(0, 0, 4095));
        Assert.False(a.ZoneWatermarkOk(0, 0, 4096));
    }

    [Fact]
    public void AHighOrderRequestAlsoNeedsAFreeBlockOfThatOrder__zone_watermark_ok()
    {
        var a = TestAllocators.Empty();
        for (var p = 0; p < 2048; p += 2)
        {
            a.FreeOnePageCore(p, 0, 0, MigrateType.Movable, FpiFlags.None);   // 1024 free pages, no two adjacent
        }

        Assert.True(a.ZoneWatermarkOk(0, 0, 100));
        Assert.False(a.ZoneWatermarkOk(0, 1, 100));
    }

    [Fact]
    public void LowAndHighStepFromMinByAQuarterOrTheScaleFactor__setup_per_zone_wmarks()
    {
        var a = TestAllocators.SingleZone(mib: 1024);
        var z = a.Zones[0];
        var min = z.WatermarkPages(Watermark.Min);
        var step = Math.Max(min / 4, z.ManagedPages * 10 / 10000);

        // min_free_kbytes = int_sqrt(lowmem_kbytes * 16) = int_sqrt(1 GiB in kB * 16) = 4096 kB = 1024 pages.
        Assert.Equal(4096, a.MinFreeKbytes);
        Assert.Equal(1024, min);
        Assert.Equal(min + step, z.WatermarkPages(Watermark.Low));
        Assert.Equal(min + (2 * step), z.WatermarkPages(Watermark.High));
    }

    [Fact]
    public void IsolatedFreePagesAreNotCountedInNrFreePages__account_freepages()
    {
        var a = TestAllocators.Empty();
        a.SetPageblockType(0, MigrateType.Isolate);
        a.FreeOnePageCore(0, 0, 3, MigrateType.Isolate, FpiFlags.None);
        a.FreeOnePageCore(512, 0, 3, MigrateType.Movable, FpiFlags.None);

        Assert.Equal(8, a.Zones[0].FreePages);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void MinFreeKbytesIsTheRootOfSixteenTimesLowmem_AndThpRaisesItToItsRecommendation__calculate_min_free_kbytes()
    {
        var plain = new PageAlloc(new MemMap((2L << 30) >> 12), new MemoryConfig { GuestBytes = 2L << 30, ThpEnabled = false });
        plain.Boot();
        long lowmemKb = 0;
        foreach (var z in plain.Zones)
        {
            lowmemKb += z.ManagedPages * 4;
        }

        Assert.Equal(Math.Clamp(PageAlloc.IntSqrt(lowmemKb * 16), 128, 262144), plain.MinFreeKbytes);

        // set_recommended_min_free_kbytes(): pageblock_nr_pages × populated zones × (2 + MIGRATE_PCPTYPES²), in kB.
        var thp = new PageAlloc(new MemMap((2L << 30) >> 12), new MemoryConfig { GuestBytes = 2L << 30, ThpEnabled = true });
        thp.Boot();
        Assert.Equal(512L * thp.Zones.Length * (2 + 9) * 4, thp.MinFreeKbytes);
    }

    [Fact]
    public void OnASmallGuestTheThpRecommendationIsCappedAtATwentiethOfManagedMinusHigh__set_recommended_min_free_kbytes()
    {
        // 64 MiB: the recommendation (11 pageblocks per zone) exceeds 5 % of nr_free_buffer_pages(), which by the time
        // khugepaged starts is Σ (managed − high watermark) of the boot-time watermarks, not the managed pages.
        var thp = new PageAlloc(new MemMap((64L << 20) >> 12), new MemoryConfig { GuestBytes = 64L << 20, ThpEnabled = true });
        thp.Boot();
        var boot = new PageAlloc(new MemMap((64L << 20) >> 12), new MemoryConfig { GuestBytes = 64L << 20, ThpEnabled = false });
        boot.Boot();
        long managed = 0, freeBuffer = 0;
        foreach (var z in boot.Zones)
        {
            managed += z.ManagedPages;
            freeBuffer += z.ManagedPages - z.Watermarks[(int)Watermark.High];
        }

        Assert.True(512L * thp.Zones.Length * 11 > freeBuffer / 20, "the cap applies");
        Assert.Equal(freeBuffer / 20 * 4, thp.MinFreeKbytes);
        Assert.NotEqual(managed / 20 * 4, thp.MinFreeKbytes);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(15, 3)]
    [InlineData(16, 4)]
    [InlineData(1_000_000, 1000)]
    [InlineData(999_999, 999)]
    public void IsTheFloorOfTheSquareRoot__int_sqrt(long x, long root) => Assert.Equal(root, PageAlloc.IntSqrt(x));

    [Fact]
    public void SwitchingThpOffKeepsAKhugepagedRaiseOverAUserValue_UnlessTheNewValueExceedsIt__calculate_min_free_kbytes()
    {
        PageAlloc Guest(long userMinFreeKb)
        {
            var a = new PageAlloc(new MemMap((2L << 30) >> 12), new MemoryConfig { GuestBytes = 2L << 30, ThpEnabled = false, MinFreeKbytes = userMinFreeKb });
            a.Boot();
            a.SetThpEnabled(true);   // set_recommended_min_free_kbytes raises it over the user's value
            Assert.Equal(512L * a.Zones.Length * 11 * 4, a.MinFreeKbytes);
            a.SetThpEnabled(false);
            return a;
        }

        // int_sqrt(16 × nr_free_buffer_pages in kB) is about 5,600 kB here: below 20,000, so the raise stays.
        Assert.Equal(512L * 2 * 11 * 4, Guest(20_000).MinFreeKbytes);
        var low = Guest(100).MinFreeKbytes;
        Assert.InRange(low, 5_000, 6_500);
    }

    [Fact]
    public void FreeBufferPagesAreTheManagedPagesAboveEachZonesHighWatermark__nr_free_buffer_pages()
    {
        var a = new PageAlloc(new MemMap((2L << 30) >> 12), new MemoryConfig { GuestBytes = 2L << 30 });
        a.Boot();
        long expected = 0;
        foreach (var z in a.Zones)
        {
            Assert.True(z.Watermarks[(int)Watermark.High] > 0);
            expected += z.ManagedPages - z.Watermarks[(int)Watermark.High];
        }

        Assert.Equal(expected, a.NrFreeBufferPages());
    }
}
