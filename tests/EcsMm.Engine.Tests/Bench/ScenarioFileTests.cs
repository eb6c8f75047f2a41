using EcsMm.Bench;
using EcsMm.Mm;
using EcsMm.Scenarios.Model;

namespace EcsMm.Tests.Bench;

/// <summary>The built-in scenario files (src/Scenarios/Builtin/*.yaml) are the one source of the seed benchmark's parameters.</summary>
public sealed class ScenarioFileTests
{
    /// <summary>The benchmark a built-in scenario file describes.</summary>
    public static SeedBenchmarkSpec Load(string name) => SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Load(name).Spec);

    [Fact]
    public void BuiltInFilesCarryTheSeedParameters()
    {
        var thp = Load("seed-thp");
        var nothp = Load("seed-nothp");
        var huge = Load("seed-hugetlb");
        Assert.Equal((2048, 256, 10, 512), (thp.GuestMiB, thp.SizeMiB, thp.Iterations, thp.FlushBudget));
        Assert.Equal(ThpEnabled.Always, thp.Thp);
        Assert.Equal(ThpEnabled.Never, nothp.Thp);
        Assert.True(huge.Hugetlb);
        Assert.False(thp.Hugetlb);
    }
}
