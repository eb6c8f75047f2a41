using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>The zonelist walk of get_page_from_freelist: the first zone gfp_zone() allows, then the lower ones.</summary>
public sealed class ZonelistTests
{
    private static PageAlloc Guest(long gib)
    {
        var config = new MemoryConfig { GuestBytes = gib << 30 };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config) { Validate = true };
        alloc.Boot();
        return alloc;
    }

    private static ZoneType ZoneTypeOf(PageAlloc alloc, int pfn) => alloc.ZoneOf(pfn).Type;

    [Fact]
    public void EachGfpZoneStartsInItsOwnZone__gfp_zone()
    {
        var alloc = Guest(6);
        Assert.Equal(ZoneType.Dma, ZoneTypeOf(alloc, alloc.AllocPages(Gfp.Kernel | Gfp.Dma, 0).Pfn));
        Assert.Equal(ZoneType.Dma32, ZoneTypeOf(alloc, alloc.AllocPages(Gfp.Kernel | Gfp.Dma32, 0).Pfn));
        Assert.Equal(ZoneType.Normal, ZoneTypeOf(alloc, alloc.AllocPages(Gfp.HighUserMovable, 0).Pfn));
        Assert.Equal(ZoneType.Normal, ZoneTypeOf(alloc, alloc.AllocPages(Gfp.Kernel, 3).Pfn));
    }

    [Fact]
    public void AGuestWithoutZoneNormalServesNormalRequestsFromDma32__get_page_from_freelist()
    {
        var alloc = Guest(2);
        Assert.DoesNotContain(alloc.Zones, z => z.Type == ZoneType.Normal);
        Assert.Equal(ZoneType.Dma32, ZoneTypeOf(alloc, alloc.AllocPages(Gfp.HighUserMovable, 0).Pfn));
    }

    [Fact]
    public void AnExhaustedNormalZoneFallsBackToDma32__get_page_from_freelist()
    {
        var alloc = Guest(5);
        var normal = Array.FindIndex(alloc.Zones, z => z.Type == ZoneType.Normal);
        var dma32 = Array.FindIndex(alloc.Zones, z => z.Type == ZoneType.Dma32);
        var fromNormal = 0;
        var sawDma32 = false;
        for (var i = 0; i < 2048 && !sawDma32; i++)
        {
            var r = alloc.AllocPages(Gfp.HighUserMovable, MmConstants.MaxPageOrder);
            Assert.True(r.Success);
            var zone = alloc.ZoneIndexOf(r.Pfn);
            if (zone == normal)
            {
                fromNormal++;
            }
            else
            {
                Assert.Equal(dma32, zone);
                sawDma32 = true;
            }
        }

        Assert.True(sawDma32);
        // Normal (1 GiB = 256 max-order blocks) is used down to its low watermark before DMA32 is touched.
        Assert.InRange(fromNormal, 200, 256);
        Assert.True(alloc.Zones[normal].FreePages - 1023 <= alloc.Zones[normal].WatermarkPages(Watermark.Low));
    }

    [Fact]
    public void ADmaRequestNeverLandsAboveZoneDma__gfp_zone()
    {
        var alloc = Guest(5);
        var dma = alloc.Zones.Single(z => z.Type == ZoneType.Dma);
        while (true)
        {
            var r = alloc.AllocPages(Gfp.Kernel | Gfp.Dma, 0);
            if (!r.Success)
            {
                break;
            }

            Assert.True(dma.Contains(r.Pfn), $"pfn {r.Pfn} outside {dma}");
        }

        Assert.True(alloc.Stats.AllocFail > 0);
    }

    [Theory]
    [InlineData(Gfp.HighUserMovable, MigrateType.Movable)]
    [InlineData(Gfp.TransHugeLight, MigrateType.Movable)]
    [InlineData(Gfp.Kernel, MigrateType.Unmovable)]
    [InlineData(Gfp.Atomic, MigrateType.Unmovable)]
    [InlineData(Gfp.Kernel | Gfp.Reclaimable, MigrateType.Reclaimable)]
    [InlineData(Gfp.HighUser, MigrateType.Unmovable)]
    public void TheMobilityBitsOfTheGfpFlagsPickTheMigratetype__gfp_migratetype(Gfp gfp, MigrateType mt)
    {
        Assert.Equal(mt, GfpRules.MigrateTypeOf(gfp));
    }

    /// <summary>
    /// <paramref name="lower"/> [0, 2048) and Normal [2048, 4096), every page allocated, then hand-placed frees: Normal
    /// holds only a small Movable block (order 3 at 2048), the lower zone a whole free Movable pageblock (at 0).
    /// </summary>
    private static PageAlloc NormalFragmentedAbove(ZoneType lower)
    {
        var config = new MemoryConfig
        {
            GuestBytes = 16L << 20,
            ZoneSpecs = [new ZoneSpec(lower, 0, 2048), new ZoneSpec(ZoneType.Normal, 2048, 4096)],
            Reserved = [new PfnRange(0, 4096)],
            PcpHigh = 64,
            PcpBatch = 8,
            MinFreeKbytes = 0,
        };
        var a = new PageAlloc(new MemMap(config.PageCount), config) { Validate = true };
        a.Boot();
        for (var p = 0; p < 4096; p++)
        {
            a.Map.SetPageType(p, PageType.None);
            a.Map.ClearPageReservedNonAtomic(p);
        }

        a.FreeOnePageCore(2048, 1, 3, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(0, 0, 9, MigrateType.Movable, FpiFlags.None);
        return a;
    }

    [Fact]
    public void WithDma32BelowAPreferredNormalZone_ASmallUnmovableRequestDoesNotFragmentNormal__alloc_flags_nofragment()
    {
        var a = NormalFragmentedAbove(ZoneType.Dma32);

        var r = a.AllocPages(Gfp.Kernel, 0);

        // ALLOC_NOFRAGMENT: Normal may not steal below pageblock order, so DMA32 gives up a whole pageblock.
        Assert.True(r.Success);
        Assert.Equal(ZoneType.Dma32, a.ZoneOf(r.Pfn).Type);
        Assert.Equal(MigrateType.Unmovable, a.PageblockType(0));
        Assert.Equal([2048], TestAllocators.FreeList(a, 3, MigrateType.Movable, zone: 1));
        Assert.Equal(MigrateType.Movable, a.PageblockType(2048));
    }

    [Fact]
    public void OnOneNodeAPreferredNormalZoneAvoidsFragmentingEvenWithoutDma32Below__alloc_flags_nofragment()
    {
        // UMA: alloc_flags_nofragment() sets ALLOC_NOFRAGMENT for any preferred ZONE_NORMAL (it only checks that the
        // zone below is populated when nr_online_nodes > 1). DMA below Normal, no DMA32.
        var a = NormalFragmentedAbove(ZoneType.Dma);

        var r = a.AllocPages(Gfp.Kernel, 0);

        Assert.True(r.Success);
        Assert.Equal(ZoneType.Dma, a.ZoneOf(r.Pfn).Type);
        Assert.Equal(MigrateType.Movable, a.PageblockType(2048));
    }
}
