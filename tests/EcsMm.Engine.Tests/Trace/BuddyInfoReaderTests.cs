using System.Text;
using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

public sealed class BuddyInfoReaderTests
{
    /// <summary>
    /// Snapshots whose buddyinfo was read after other allocator activity changed the lists (pcp refills and
    /// drains between the dump and the read): their low orders differ from the dump by a few blocks.
    /// </summary>
    private static readonly HashSet<string> ChangedBeforeBuddyinfoRead =
        ["10_thp_always_64.i2.post", "20_thp_never_64.i1.pre", "20_thp_never_64.i2.pre"];

    [Fact]
    public void ParsesALine()
    {
        BuddyInfoZone zone = BuddyInfoReader.ParseLine("Node 0, zone    DMA32      3      1      1      1      2      2      1      1      2      1    193 ");
        Assert.Equal(0, zone.Node);
        Assert.Equal("DMA32", zone.Zone);
        Assert.Equal([3L, 1, 1, 1, 2, 2, 1, 1, 2, 1, 193], zone.FreeBlocksPerOrder);
    }

    [Theory]
    [InlineData("Node 0 zone DMA 1 2 3")]
    [InlineData("Node x, zone DMA 1 2 3")]
    [InlineData("Node 0, zone DMA 1 -2 3")]
    [InlineData("Node 0, zone DMA")]
    public void MalformedLineNamesFileAndLine(string line)
    {
        var ex = Assert.Throws<TraceFormatException>(() =>
            BuddyInfoReader.Read(new MemoryStream(Encoding.ASCII.GetBytes("Node 0, zone      DMA      0 \n" + line + "\n")), "buddyinfo.bad"));
        Assert.Equal("buddyinfo.bad", ex.Source);
        Assert.Equal(2, ex.LineNumber);
    }

    [Theory]
    [MemberData(nameof(TraceData.SnapshotNames), MemberType = typeof(TraceData))]
    public void FormatReproducesTheKernelFileByteForByte(string snapshot)
    {
        string[] lines = File.ReadAllLines(TraceData.BuddyInfoPath(snapshot));
        IReadOnlyList<BuddyInfoZone> zones = BuddyInfoReader.Read(TraceData.BuddyInfoPath(snapshot));
        Assert.Equal(["DMA", "DMA32"], zones.Select(z => z.Zone));
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Equal(lines[i], BuddyInfoReader.Format(zones[i].Node, zones[i].Zone, zones[i].FreeBlocksPerOrder.ToArray()));
        }
    }

    /// <summary>
    /// The dump was read while its own 1 MiB seq_file buffer (an order-8 allocation, in the trace between the
    /// dump's begin and end marks) was allocated; the buddyinfo read after it saw that block freed and merged.
    /// Returning the buffer to the dump's DMA32 free set and merging buddies gives exactly the kernel's
    /// buddyinfo, except for the three snapshots whose lists changed in between.
    /// </summary>
    [Fact]
    public void DumpFreeCountsAgreeWithKernelBuddyinfoOnceTheDumpBufferIsReturned()
    {
        Dictionary<string, long> buffers = DumpBufferPfns();
        Assert.Equal(20, buffers.Count);
        var differing = new List<string>();
        foreach (string snapshot in TraceData.Snapshots)
        {
            BuddyDump dump = BuddyDumpReader.Read(TraceData.BuddyDumpPath(snapshot));
            IReadOnlyList<BuddyInfoZone> info = BuddyInfoReader.Read(TraceData.BuddyInfoPath(snapshot));

            Assert.Equal(info.Single(z => z.Zone == "DMA").FreeBlocksPerOrder, dump.Zone("DMA").FreeBlockCountsPerOrder());

            long[] dumpCounts = dump.Zone("DMA32").FreeBlockCountsPerOrder();
            long[] withBuffer = CountsAfterFreeing(dump.Zone("DMA32"), buffers[snapshot], 8);
            IReadOnlyList<long> kernel = info.Single(z => z.Zone == "DMA32").FreeBlocksPerOrder;
            Assert.NotEqual(kernel, dumpCounts);
            if (!kernel.SequenceEqual(withBuffer))
            {
                differing.Add(snapshot);
            }
        }

        Assert.Equal(ChangedBeforeBuddyinfoRead.Order(), differing.Order());
    }

    private static Dictionary<string, long> DumpBufferPfns()
    {
        var buffers = new Dictionary<string, long>();
        string? inDump = null;
        using var reader = FtraceReader.Open(TraceData.TracePath);
        foreach (TraceEvent ev in reader.ReadAll())
        {
            if (ev.Kind == TraceEventKind.Mark)
            {
                inDump = ev.Mark!.Kind switch
                {
                    TraceMarkKind.BuddyDumpBegin => ev.Mark.Name,
                    TraceMarkKind.BuddyDumpEnd => null,
                    _ => inDump,
                };
            }
            else if (inDump is not null && ev.Kind == TraceEventKind.PageAlloc && ev.Order == 8)
            {
                buffers.Add(inDump, ev.Pfn);
            }
        }

        return buffers;
    }

    private static long[] CountsAfterFreeing(BuddyDumpZone zone, long pfn, int order)
    {
        var free = zone.FreeBlocks.Select(b => (b.Pfn, b.Order)).ToHashSet();
        while (order < 10 && free.Remove((pfn ^ (1L << order), order)))
        {
            pfn &= ~(1L << order);
            order++;
        }

        free.Add((pfn, order));
        long[] counts = new long[11];
        foreach (var (_, o) in free)
        {
            counts[o]++;
        }

        return counts;
    }
}
