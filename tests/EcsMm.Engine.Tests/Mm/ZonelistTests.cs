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
}
