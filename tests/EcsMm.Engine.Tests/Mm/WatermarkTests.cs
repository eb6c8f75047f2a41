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
}
