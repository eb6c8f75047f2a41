using EcsMm.Bench;

namespace EcsMm.Tests.Bench;

/// <summary>
/// What the guest did before bench.sh decides what the hint can do: blocks reported by a device without
/// host_zeroes_pages keep PG_reported and never get PG_zeroed, and the free lists hand them out first.
/// </summary>
public sealed class GuestHistoryTests
{
    // The module loaded at boot has the first bench.sh's host_zeroes_pages, so without a baseline bench first the
    // optimized mode's warm-up reports are hinted: the prior bench is the only difference.
    private static SeedBenchmarkSpec Small() =>
        ScenarioFileTests.Load("seed-thp") with { GuestMiB = 512, SizeMiB = 64, Iterations = 4, WarmupSteps = 200, BalloonLoadedAtBoot = false };

    [Fact]
    public void AfterABaselineBench_TheBlocksItReportedAreHandedOutFirstAndUnhinted__putback_isolated_page_to_tail_rmqueue_smallest_from_head()
    {
        // page_reporting_drain puts reported blocks back at the tail (__putback_isolated_page, FPI_TO_TAIL) and
        // __rmqueue_smallest takes the head, so a free list is a queue: the blocks the baseline's flushes reported
        // (PG_reported, no PG_zeroed) come out before those the optimized module reports with PG_zeroed.
        var fresh = SeedBenchmark.RunMode(Small(), 42, hostZeroesPages: true);
        var after = SeedBenchmark.RunMode(Small() with { AfterBaseline = true }, 42, hostZeroesPages: true);

        double HintedShare(SeedIterationMetrics m) => (double)m.Hinted[9] / m.Allocations[9];
        Assert.True(HintedShare(fresh.Iterations[0]) > 0.9, $"fresh guest, run 1: {HintedShare(fresh.Iterations[0]):P0} hinted");
        foreach (var m in after.Iterations)
        {
            Assert.True(m.FromReported[9] > 0, "the optimized runs still take reported blocks");
            Assert.True(HintedShare(m) < 0.25, $"after the baseline bench: {HintedShare(m):P0} of the THPs hinted");
            Assert.True(m.HostRefaults > 0, "the unhinted reported blocks were discarded: zeroing them refaults");
        }

        // Unhinted is not wrong: the host discarded them, they read zero, and nothing stale was handed out as zero.
        Assert.Equal(0, after.Total.Corruptions);
    }

    [Fact]
    public void AfterBaseline_LeavesTheBaselineModeAsItWas()
    {
        var spec = Small() with { AfterBaseline = true };
        var plain = SeedBenchmark.RunMode(Small(), 42, hostZeroesPages: false);
        var after = SeedBenchmark.RunMode(spec, 42, hostZeroesPages: false);
        Assert.Equal(plain.Total.HostRefaults, after.Total.HostRefaults);
        Assert.Equal(plain.Total.FromReported[9], after.Total.FromReported[9]);
        Assert.Equal(plain.Total.ThpRecycledViaPcp, after.Total.ThpRecycledViaPcp);
    }
}
