using EcsMm.Cost;

namespace EcsMm.Tests.Cost;

/// <summary>The calibration protocol: the default file's fitted constants are what <see cref="CostFit"/> computes from the seed-thp baseline.</summary>
public sealed class CostFitTests
{
    [Fact]
    public void DefaultFittedConstants_AreTheFitToTheSeedThpBaseline()
    {
        var thp = SeedRuns.Get("seed-thp");
        var fitted = CostFit.Fit(thp.Baseline, thp.Spec.HostPageBytes, CostProfile.Default);
        foreach (var name in new[] { CostProfile.HostPopulateOverheadNs, CostProfile.CacheMissesPerZeroedByte, CostProfile.FixedInstructionsPerRun })
        {
            var stored = CostProfile.Default[name].Value;
            var fit = fitted[name].Value;
            Assert.True(Math.Abs(stored - fit) <= 1e-6 * Math.Abs(fit), $"{name}: file {stored}, fit {fit} (re-run the fit and update costs.default.json)");
            Assert.StartsWith("fitted", fitted[name].Source);
        }
    }

    [Fact]
    public void Fit_RejectsTheOptimizedMode()
    {
        var thp = SeedRuns.Get("seed-thp");
        Assert.Throws<ArgumentException>(() => CostFit.Fit(thp.Optimized, thp.Spec.HostPageBytes, CostProfile.Default));
    }

    [Fact]
    public void Fit_DependsOnTheTarget_NotOnThePreviousFittedValues()
    {
        var thp = SeedRuns.Get("seed-thp");
        var skewed = CostProfile.Default.With([CostProfile.Default[CostProfile.HostPopulateOverheadNs] with { Value = 1 }, CostProfile.Default[CostProfile.FixedInstructionsPerRun] with { Value = 1 }]);
        var a = CostFit.Fit(thp.Baseline, 4096, skewed);
        var b = CostFit.Fit(thp.Baseline, 4096, CostProfile.Default);
        Assert.Equal(b[CostProfile.HostPopulateOverheadNs].Value, a[CostProfile.HostPopulateOverheadNs].Value, 6);
        Assert.Equal(b[CostProfile.FixedInstructionsPerRun].Value, a[CostProfile.FixedInstructionsPerRun].Value, 3);
    }
}
