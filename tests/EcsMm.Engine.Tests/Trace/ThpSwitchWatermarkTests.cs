using EcsMm.Mm;
using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

/// <summary>
/// Ground truth for a write to transparent_hugepage/enabled: the capture's dumps before and after the harness switched
/// THP on (for the THP runs) and off (for the THP-never runs) differ exactly as <see cref="PageAlloc.SetThpEnabled"/>
/// computes from the first one.
/// </summary>
public sealed class ThpSwitchWatermarkTests
{
    [Theory]
    [InlineData("01_after_balloon_init", "10_thp_always_64.i1.pre", true)]
    [InlineData("10_thp_always_64.i3.post4s", "20_thp_never_64.i1.pre", false)]
    public void TheNewWatermarksAndPcpHighAreTheDumps__set_recommended_min_free_kbytes_calculate_min_free_kbytes_zone_pcp_update(string before, string after, bool thpOn)
    {
        var from = BuddyDumpReader.Read(TraceData.BuddyDumpPath(before));
        var to = BuddyDumpReader.Read(TraceData.BuddyDumpPath(after));
        var alloc = SnapshotLoader.Load(from);

        alloc.SetThpEnabled(thpOn);

        for (var i = 0; i < to.Zones.Count; i++)
        {
            var z = to.Zones[i];
            var model = alloc.Zones[i];
            Assert.Equal((z.Min, z.Low, z.High), (model.Watermarks[(int)Watermark.Min], model.Watermarks[(int)Watermark.Low], model.Watermarks[(int)Watermark.High]));
            foreach (var c in z.PcpParameters)
            {
                var pcp = alloc.Pcp.State(alloc.Pcp.PcpId(c.Cpu, i));
                Assert.Equal((c.High, c.Batch), (pcp.High, pcp.Batch));
            }
        }

        // The other way round does not give the dump: the test can tell the two rules apart.
        var wrong = SnapshotLoader.Load(from);
        wrong.SetThpEnabled(!thpOn);
        Assert.Contains(to.Zones.Select((z, i) => (z, i)), p => wrong.Zones[p.i].Watermarks[(int)Watermark.Min] != p.z.Min);
    }

    [Fact]
    public void ARestoredDumpRecoversMinFreeKbytesFromItsMinWatermarks__setup_per_zone_wmarks()
    {
        // After the harness wrote "always": khugepaged's recommendation, 11 pageblocks per zone (2 zones), 45,056 kB,
        // whose shares are the dump's min watermarks; the plain sum of the rounded-down shares would say 45,052.
        var alloc = SnapshotLoader.Load(BuddyDumpReader.Read(TraceData.BuddyDumpPath("10_thp_always_64.i1.pre")));
        Assert.Equal(512L * 2 * 11 * 4, alloc.MinFreeKbytes);
    }
}
