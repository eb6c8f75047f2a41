using EcsMm.Mm;
using EcsMm.Trace;
using EcsMm.Truth;

namespace EcsMm.Tests.Trace;

/// <summary>Loading a real 6.1 buddy dump as the allocator's exact state.</summary>
public sealed class SnapshotLoaderTests
{
    [Theory]
    [MemberData(nameof(TraceData.SnapshotNames), MemberType = typeof(TraceData))]
    public void LoadedStateMatchesTheDumpAndIsConsistent(string snapshot)
    {
        var dump = BuddyDumpReader.Read(TraceData.BuddyDumpPath(snapshot));
        var alloc = SnapshotLoader.Load(dump);

        var violations = new InvariantChecker(alloc).Check();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        for (var zi = 0; zi < dump.Zones.Count; zi++)
        {
            var z = dump.Zones[zi];
            var counts = z.FreeBlockCountsPerOrder();
            for (var o = 0; o < MmConstants.NrPageOrders; o++)
            {
                Assert.Equal(counts[o], alloc.FreeBlocks(zi, o));
            }

            Assert.Equal(z.FreePages(), alloc.Zones[zi].FreePages);
            Assert.Equal(z.Low, alloc.Zones[zi].WatermarkPages(Watermark.Low));
            foreach (var c in z.PcpParameters)
            {
                Assert.Equal(c.Count, alloc.Pcp.Count[alloc.Pcp.PcpId(c.Cpu, zi)]);
            }
        }
    }

    [Fact]
    public void FreeListsKeepTheDumpsOrderAndReportedFlags()
    {
        var dump = BuddyDumpReader.Read(TraceData.BuddyDumpPath("01_after_balloon_init"));
        var alloc = SnapshotLoader.Load(dump);
        var zone = dump.Zone("DMA32");
        var zi = alloc.Zones.Single(z => z.Name == "DMA32").Index;

        foreach (var group in zone.FreeBlocks.GroupBy(b => (b.Order, b.Migratetype)))
        {
            var list = alloc.FreeListId(zi, group.Key.Order, (MigrateType)group.Key.Migratetype);
            var p = alloc.FreeLists.Head[list];
            foreach (var block in group.OrderBy(b => b.Position))
            {
                Assert.Equal(block.Pfn, p);
                Assert.Equal(block.Reported, alloc.Map.PageUptodate(p));
                p = alloc.FreeLists.Next(p);
            }

            Assert.Equal(-1, p);
        }
    }
}
