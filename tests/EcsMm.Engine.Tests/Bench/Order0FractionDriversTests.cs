using EcsMm.Bench;
using EcsMm.Scenarios;
using EcsMm.Workloads;
using Xunit.Abstractions;

namespace EcsMm.Tests.Bench;

/// <summary>
/// What drives the seed-nothp figure (order-0 allocations served from reported pages) in the model: the flush's
/// page budget, which ends the flush after the pass that crosses it, and the background's low-order fragments.
/// </summary>
public sealed class Order0FractionDriversTests(ITestOutputHelper output)
{
    private static double Order0Percent(SeedBenchmarkSpec spec) => SeedBenchmark.RunMode(spec, 42, true).Total.FromReportedPercent(0);

    [Fact]
    public void FlushBudget512_EndsAfterOnePass_SoFewerOrder0PagesComeFromReportedBlocks__page_reporting_flush()
    {
        var spec = BuiltInScenarios.Load("seed-nothp") with { Iterations = 4 };
        var budget512 = Order0Percent(spec);
        var unlimited = Order0Percent(spec with { FlushBudget = 0 });
        output.WriteLine($"budget 512: {budget512:F1} %, unlimited: {unlimited:F1} %");
        Assert.True(unlimited > budget512 + 30, $"unlimited {unlimited:F1} % vs budget 512 {budget512:F1} %");
    }

    [Fact]
    public void BackgroundFragmentsBelowOrder9_AreNeverReported_AndServeOrder0FaultsFirst__rmqueue_bulk()
    {
        var spec = BuiltInScenarios.Load("seed-nothp") with { Iterations = 3, FlushBudget = 0 };
        var withBackground = Order0Percent(spec);
        var without = Order0Percent(spec with { Background = BackgroundWorkloadSpec.None });
        output.WriteLine($"with background: {withBackground:F1} %, without: {without:F1} %");
        Assert.True(without > withBackground + 5, $"without {without:F1} % vs with {withBackground:F1} %");
    }

    [Fact]
    public void BlocksReportedBeforeTheBalloonReload_CarryNoZeroedHint__page_reporting_register()
    {
        var spec = BuiltInScenarios.Load("seed-nothp") with { Iterations = 8 };
        var reload = SeedBenchmark.RunMode(spec, 42, true).Total;
        var noReload = SeedBenchmark.RunMode(spec with { BalloonLoadedAtBoot = false }, 42, true).Total;
        Assert.True(reload.Hinted[0] < noReload.Hinted[0]);
        Assert.True(noReload.HintedPercent(0) > noReload.FromReportedPercent(0) - 2);
    }
}
