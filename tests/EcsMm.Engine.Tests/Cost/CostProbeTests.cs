using EcsMm.Cost;
using Xunit.Abstractions;

namespace EcsMm.Tests.Cost;

public sealed class CostProbeTests(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var thp = SeedRuns.Get("seed-thp");
        var fitted = CostFit.Fit(thp.Baseline, thp.Spec.HostPageBytes, CostProfile.Default);
        foreach (var c in fitted.Constants.Where(c => c.IsFitted))
        {
            output.WriteLine($"{c.Name} = {c.Value:R}  {c.Source}");
        }
        foreach (var (n, w) in new[] { ("seed-thp", false), ("seed-thp", true), ("seed-hugetlb", false), ("seed-hugetlb", true), ("seed-nothp", false), ("seed-nothp", true) })
        {
            var r = SeedRuns.Get(n, w);
            output.WriteLine(CostReport.Create(r, fitted).Format());
        }
        Assert.True(fitted[CostProfile.HostPopulateOverheadNs].Value > 0);
    }
}
