using EcsMm.Trace;
using Xunit.Abstractions;

namespace EcsMm.Tests.Trace;

/// <summary>Exact replay of the real 6.1 trace between every consecutive pair of shipped snapshots.</summary>
public sealed class SnapshotReplayTests(ITestOutputHelper output)
{
    private static readonly Lazy<TraceEvents> Trace = new(() => TraceEvents.Load(TraceData.TracePath));

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        for (var i = 0; i + 1 < TraceData.Snapshots.Length; i++)
        {
            data.Add(TraceData.Snapshots[i], TraceData.Snapshots[i + 1]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ReplayReproducesTheNextSnapshot(string from, string to)
    {
        var result = SnapshotReplay.Run(
            Trace.Value,
            BuddyDumpReader.Read(TraceData.BuddyDumpPath(from)), from,
            BuddyDumpReader.Read(TraceData.BuddyDumpPath(to)), to);

        output.WriteLine(result.ToString());
        foreach (var line in result.ReplayAnomalies.Take(10))
        {
            output.WriteLine("anomaly: " + line);
        }

        foreach (var line in result.Differences)
        {
            output.WriteLine(line);
        }

        foreach (var line in result.Misplacements.Take(10))
        {
            output.WriteLine(line);
        }

        // Every free block, order, migratetype and reported flag matches, at the same list position.
        Assert.True(result.FreeBlocksMatch, result.ToString());
        Assert.Equal(0, result.Misplaced);
        Assert.Empty(result.ReplayAnomalies);

        // Every page the dump has on a pcp list is there in the model. Lists match exactly except after boot,
        // where pages taken by alloc_pages_bulk (which traces nothing) and never freed before the next snapshot
        // cannot be seen in the trace: the model still holds them.
        Assert.Equal(result.PcpPagesInDump, result.PcpPagesMatching);
        if (from != "00_boot")
        {
            Assert.Equal(0, result.PcpListsDifferent);
        }
    }
}
