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

    [Fact]
    public void AThpWhoseZeroingWasSkippedAndThatCameBackOffThePcpListIsZeroedAndRefaults__free_frozen_page_commit_post_alloc_hook()
    {
        // A hinted THP is mapped without being written, so its host page stays discarded; munmap frees it onto the pcp
        // THP list (addresses upwards, the hinted ones last, so they stay there), and the next run takes it back
        // without PG_zeroed: the guest zeroes it and the host populates it then. Each recycled THP costs one refault.
        var spec = ScenarioFileTests.Load("seed-thp") with { GuestMiB = 512, SizeMiB = 64, Iterations = 4, WarmupSteps = 200, BalloonLoadedAtBoot = false };
        var r = SeedBenchmark.RunMode(spec, 42, hostZeroesPages: true);
        Assert.Equal(0, r.Iterations[0].HostRefaults); // all hinted: nothing to refault
        Assert.True(r.Total.ThpRecycledViaPcp > 0);
        foreach (var m in r.Iterations.Skip(1))
        {
            Assert.Equal(m.ThpRecycledViaPcp * 512, m.HostRefaults);
        }
    }
}
