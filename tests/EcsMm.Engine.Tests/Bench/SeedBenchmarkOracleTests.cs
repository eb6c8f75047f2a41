using EcsMm.Bench;
using EcsMm.Truth;

namespace EcsMm.Tests.Bench;

/// <summary>The oracle in the seed benchmark: planted bugs show up as corruptions on the fault paths; pool pages gain nothing.</summary>
public sealed class SeedBenchmarkOracleTests
{
    private static SeedBenchmarkSpec Small(string name) => ScenarioFileTests.Load(name) with
    {
        GuestMiB = 512,
        SizeMiB = 64,
        Iterations = 4,
        WarmupSteps = 200,
    };

    [Theory]
    [InlineData("seed-thp", PlantedBugs.DiscardInhibitedWithHostZeroes, ZeroingPath.FolioZeroUser)]
    [InlineData("seed-nothp", PlantedBugs.DiscardInhibitedWithHostZeroes, ZeroingPath.PostAllocHook)]
    [InlineData("seed-hugetlb", PlantedBugs.DiscardInhibitedWithHostZeroes, ZeroingPath.Hugetlb)]
    public void PlantedHostBug_IsCaughtOnTheFaultPath(string name, PlantedBugs bug, ZeroingPath path)
    {
        // The runs write their memory, so a page wrongly hinted zero holds the previous run's data.
        var spec = Small(name) with { Bugs = bug, WriteAfterPopulate = true };
        var optimized = SeedBenchmark.RunMode(spec, 42, hostZeroesPages: true);
        Assert.True(optimized.Total.Corruptions > 0, $"{name}: no corruption caught");
        var baseline = SeedBenchmark.RunMode(spec, 42, hostZeroesPages: false);
        Assert.Equal(0, baseline.Total.Corruptions);
        Assert.True(optimized.Total.PagesSkipped[(int)path] > 0);
    }

    [Fact]
    public void PersistentPoolPages_NeverReported_SkipOnlyOnTheirFirstUse__enqueue_hugetlb_folio()
    {
        // Every free block reported and host-zeroed before the pool is filled: the pool enters zeroed (patch 9).
        var spec = Small("seed-hugetlb") with { NrHugepages = 32, FlushBudget = 0, BalloonLoadedAtBoot = false };
        var r = SeedBenchmark.RunMode(spec, 42, hostZeroesPages: true);
        Assert.Equal(0, r.Total.Allocations[9]);
        Assert.Equal(32L * 512, r.Iterations[0].PagesSkipped[(int)ZeroingPath.Hugetlb]);
        for (var i = 1; i < r.Iterations.Count; i++)
        {
            Assert.Equal(0, r.Iterations[i].PagesSkipped[(int)ZeroingPath.Hugetlb]);
            Assert.Equal(32L * 512, r.Iterations[i].PagesZeroed[(int)ZeroingPath.Hugetlb]);
        }

        Assert.Equal(0, r.Total.Corruptions);
    }

    [Fact]
    public void ThePlantedSmallBlockBugReachesTheSeedGuestAsItDoesAnAttachedBalloon()
    {
        var spec = Small("seed-nothp") with { Bugs = PlantedBugs.BlockSmallerThanHostPage, HostPageBytes = 2 << 20, ReportingOrder = null };
        var g = new SeedGuest(spec, 42, hostZeroesPages: true);
        Assert.Equal(8, g.Reporting.ReportingOrder);
        g.ReloadBalloon();
        Assert.Equal(8, g.Reporting.ReportingOrder);
    }
}
