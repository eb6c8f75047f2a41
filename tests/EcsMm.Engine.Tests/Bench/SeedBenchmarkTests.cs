using EcsMm.Bench;
using EcsMm.Mm;
using EcsMm.Scenarios;
using EcsMm.Truth;
using Xunit.Abstractions;

namespace EcsMm.Tests.Bench;

/// <summary>The seed's benchmark: the three built-in scenarios, both modes.</summary>
public sealed class SeedBenchmarkTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("seed-thp")]
    [InlineData("seed-nothp")]
    [InlineData("seed-hugetlb")]
    public void BuiltInScenario_BothModes_ZeroCorruptions_AndFiguresReported(string name)
    {
        var spec = BuiltInScenarios.Load(name) with { ValidateMode = true };
        var result = SeedBenchmark.Run(spec, 42);
        foreach (var mode in new[] { result.Baseline, result.Optimized })
        {
            output.WriteLine(Describe(name, mode));
            Assert.Equal(0, mode.Total.Corruptions);
            Assert.Equal(spec.Iterations, mode.Iterations.Count);
        }

        Assert.Equal(0, result.Baseline.Total.TotalSkipped);
        Assert.True(result.Optimized.Total.TotalSkipped > 0, "the optimized mode skips some zeroing");
    }

    [Fact]
    public void SeedThp_FreshGuest_EveryThpFaultIsOrder9FromBuddyOrPcp__vma_alloc_anon_folio_pmd()
    {
        var spec = BuiltInScenarios.Load("seed-thp") with { WarmupSteps = 0, BalloonLoadedAtBoot = false };
        var result = SeedBenchmark.Run(spec, 7);
        foreach (var mode in new[] { result.Baseline, result.Optimized })
        {
            output.WriteLine($"{mode.ModeName}: THP from pcp {mode.Total.ThpFromPcp}, from buddy {mode.Total.ThpFromBuddy}");
            Assert.Equal(0, mode.Total.ThpFallbacks);
            Assert.Equal(mode.Total.Faults[(int)FaultKind.Thp], mode.Total.ThpFromPcp + mode.Total.ThpFromBuddy);
            Assert.True(mode.Total.ThpFromBuddy > 0);
            Assert.Equal(128L * spec.Iterations, mode.Total.Faults[(int)FaultKind.Thp]);
            Assert.Equal(0, mode.Total.Faults[(int)FaultKind.Order0]);
            Assert.Equal(128L * spec.Iterations, mode.Total.Allocations[9]);
        }
    }

    [Fact]
    public void SeedNothp_ReportsOrder0FractionFromReportedPages()
    {
        var result = SeedBenchmark.Run(BuiltInScenarios.Load("seed-nothp"), 42);
        var opt = result.Optimized.Total;
        Assert.Equal(65536L * 10, opt.Allocations[0]);
        var pct = opt.FromReportedPercent(0);
        output.WriteLine($"order-0 from reported: {pct:F1} % (hinted {opt.HintedPercent(0):F1} %)");
        Assert.InRange(pct, 0.0, 100.0);
        Assert.True(opt.FromReported[0] > 0);
        Assert.Equal(opt.PagesSkipped[(int)ZeroingPath.PostAllocHook], opt.Hinted[0]);
    }

    [Fact]
    public void SameSeed_SameResult()
    {
        var spec = BuiltInScenarios.Load("seed-nothp") with { GuestMiB = 512, SizeMiB = 32, Iterations = 3, WarmupSteps = 50 };
        var a = SeedBenchmark.RunMode(spec, 9, true).Total;
        var b = SeedBenchmark.RunMode(spec, 9, true).Total;
        Assert.Equal(a.FromReported, b.FromReported);
        Assert.Equal(a.PagesSkipped, b.PagesSkipped);
        Assert.Equal(a.HostRefaults, b.HostRefaults);
    }

    internal static string Describe(string name, SeedModeResult mode)
    {
        var t = mode.Total;
        var sb = new System.Text.StringBuilder();
        sb.Append($"{name} {mode.ModeName}: faults");
        for (var k = 0; k < FaultKinds.Count; k++)
        {
            sb.Append($" {FaultKinds.Name((FaultKind)k)}={t.Faults[k]}");
        }

        sb.Append($" thp-fallback={t.ThpFallbacks} thp-from-pcp={t.ThpFromPcp} thp-from-buddy={t.ThpFromBuddy}; allocs");
        for (var o = 0; o < MmConstants.NrPageOrders; o++)
        {
            if (t.Allocations[o] > 0)
            {
                sb.Append($" o{o}={t.Allocations[o]} from-reported={t.FromReported[o]} ({t.FromReportedPercent(o):F1} %) hinted={t.Hinted[o]} ({t.HintedPercent(o):F1} %)");
            }
        }

        sb.Append("; zeroed/skipped");
        for (var p = 0; p < ZeroingPaths.Count; p++)
        {
            if (t.PagesZeroed[p] + t.PagesSkipped[p] > 0)
            {
                sb.Append($" {ZeroingPaths.KernelName((ZeroingPath)p)}={t.PagesZeroed[p]}/{t.PagesSkipped[p]}");
            }
        }

        sb.Append($"; host populates={t.HostPopulates} refaults={t.HostRefaults}; corruptions={t.Corruptions}; flushed={t.PagesReportedByFlush}");
        return sb.ToString();
    }
}
