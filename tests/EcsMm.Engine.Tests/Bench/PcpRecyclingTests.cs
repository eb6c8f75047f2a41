using EcsMm.Bench;

namespace EcsMm.Tests.Bench;

/// <summary>THPs a run frees onto the pcp THP list and the next run takes back from it never reach buddy, so they are never reported or hinted.</summary>
public sealed class PcpRecyclingTests
{
    [Fact]
    public void ThpsRecycledThroughThePcpListAreNeverHinted__free_unref_page_commit()
    {
        var spec = ScenarioFileTests.Load("seed-thp") with { GuestMiB = 512, SizeMiB = 64, Iterations = 4, WarmupSteps = 200 };
        var r = SeedBenchmark.RunMode(spec, 42, hostZeroesPages: true);
        Assert.True(r.Total.ThpRecycledViaPcp > 0, "mainline keeps freed THPs on pcp up to pcp high");
        Assert.True(r.Total.Hinted[9] > 0, "other THPs are hinted, so the check below is not vacuous");
        Assert.Equal(0, r.Total.ThpRecycledHinted);

        Assert.Equal(0, r.Iterations[0].ThpRecycledViaPcp); // nothing was freed before the first run
    }
}
