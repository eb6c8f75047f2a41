using EcsMm.Bench;
using EcsMm.Cost;

namespace EcsMm.Tests.Cost;

/// <summary>The seed-style report's derived figures.</summary>
public sealed class CostReportTests
{
    [Fact]
    public void WithoutASaving_TheDeferredWorkIsNotGivenAsAShareOfIt()
    {
        var thp = SeedRuns.Get("seed-thp");
        var same = CostReport.Create(new SeedBenchmarkResult(thp.Spec, thp.Seed, thp.Baseline, thp.Baseline with { HostZeroesPages = true }));
        Assert.False(same.SavingIsMeaningful);
        Assert.Contains("no share: the task-clock saving is under 1 % of the baseline", same.Format());

        var real = CostReport.Create(thp);
        Assert.True(real.SavingIsMeaningful);
        Assert.Contains("% of the task-clock saving", real.Format());
    }
}
