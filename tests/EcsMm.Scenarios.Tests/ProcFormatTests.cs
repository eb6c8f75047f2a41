using EcsMm.Mm;
using EcsMm.Scenarios.Output;
using EcsMm.Trace;

namespace EcsMm.Scenarios.Tests;

/// <summary>/proc text formats of mm/vmstat.c: buddyinfo (frag_show_print), pagetypeinfo, vmstat.</summary>
public sealed class ProcFormatTests
{
    private static PageAlloc Booted(long bytes)
    {
        var config = new MemoryConfig { GuestBytes = bytes };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config);
        alloc.Boot();
        return alloc;
    }

    [Fact]
    public void BuddyInfoLinePerPopulatedZoneWithSixWideCounts__frag_show_print()
    {
        var alloc = Booted(64L << 20);
        var lines = ProcFormats.BuddyInfo(alloc).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(alloc.Zones.Count(z => z.PresentPages > 0), lines.Length);
        Assert.StartsWith("Node 0, zone      DMA ", lines[0]);
        Assert.StartsWith("Node 0, zone    DMA32 ", lines[1]);
        foreach (var line in lines)
        {
            Assert.Matches(@"^Node 0, zone [ A-Za-z0-9]{8} ( {0,5}\d{1,6} ){11}$", line);
            var parsed = BuddyInfoReader.ParseLine(line);
            var zone = alloc.Zones.Single(z => z.Name == parsed.Zone);
            for (var o = 0; o < MmConstants.NrPageOrders; o++)
            {
                Assert.Equal(alloc.FreeBlocks(zone.Index, o), parsed.FreeBlocksPerOrder[o]);
            }
        }
    }

    [Fact]
    public void PageTypeInfoHeaderAndBlockCounts__pagetypeinfo_show()
    {
        var alloc = Booted(64L << 20);
        var text = ProcFormats.PageTypeInfo(alloc);
        var lines = text.Split('\n');
        Assert.Equal("Page block order: 9", lines[0]);
        Assert.Equal("Pages per block:  512", lines[1]);
        Assert.Equal("", lines[2]);
        Assert.Equal("Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 ", lines[3]);
        Assert.StartsWith("Node    0, zone      DMA, type    Unmovable ", lines[4]);
        Assert.Contains("\nNumber of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate \n", text);

        // Every pageblock is Movable at boot: the DMA32 block count row says so.
        var dma32 = alloc.Zones.Single(z => z.Type == ZoneType.Dma32);
        var blocks = (dma32.EndPfn - dma32.StartPfn) / MmConstants.PageblockNrPages;
        Assert.Contains($"Node 0, zone    DMA32 {0,12} {blocks,12} {0,12} {0,12} {0,12} {0,12} \n", text);
    }

    [Fact]
    public void PageTypeInfoCapsTheListWalkAt100000__pagetypeinfo_showfree_print()
    {
        // A 1 GiB guest, every page allocated at order 0, every other page freed: > 100000 order-0 Movable blocks.
        var alloc = Booted(1L << 30);
        var pfns = new List<int>();
        while (true)
        {
            var r = alloc.AllocPages(Gfp.HighUserMovable, 0);
            if (!r.Success)
            {
                break;
            }

            pfns.Add(r.Pfn);
        }

        pfns.Sort();
        for (var i = 0; i < pfns.Count; i += 2)
        {
            alloc.FreePages(pfns[i], 0);
        }

        alloc.DrainAllPages();
        var dma32 = alloc.Zones.Single(z => z.Type == ZoneType.Dma32).Index;
        Assert.True(alloc.FreeLists.Length[alloc.FreeListId(dma32, 0, MigrateType.Movable)] >= 100000);
        var row = ProcFormats.PageTypeInfo(alloc).Split('\n').Single(l => l.StartsWith("Node    0, zone    DMA32, type      Movable ", StringComparison.Ordinal));
        Assert.StartsWith("Node    0, zone    DMA32, type      Movable >100000 ", row);
    }

    [Fact]
    public void VmStatUsesKernelNames__vmstat_show()
    {
        var alloc = Booted(256L << 20);
        var r = alloc.AllocPages(Gfp.Kernel, 2);
        alloc.FreePages(r.Pfn, 2);
        var lines = ProcFormats.VmStat(alloc).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["nr_free_pages", "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgfree"], lines.Select(l => l.Split(' ')[0]));
        Assert.Equal("pgfree 4", lines[4]);
        Assert.Equal("pgalloc_dma32 4", lines[2]);
    }
}
