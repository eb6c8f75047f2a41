using EcsMm.Bench;

namespace EcsMm.Tests.Bench;

/// <summary>The WriteAfterPopulate variant of alloc_once: the workload writes every page it populated before munmap.</summary>
public sealed class WriteAfterPopulateTests
{
    private static SeedBenchmarkSpec Small(bool write) =>
        EcsMm.Tests.Bench.ScenarioFileTests.Load("seed-thp") with { GuestMiB = 512, SizeMiB = 32, Iterations = 4, WarmupSteps = 40, WriteAfterPopulate = write, ValidateMode = true };

    [Fact]
    public void Write_PopulatesEveryHostPageThePopulateLeftOwed__MADV_POPULATE_WRITE()
    {
        var plain = SeedBenchmark.RunMode(Small(false), 3, hostZeroesPages: true).Total;
        Assert.True(plain.HostPagesOwed > 0, "skipped zeroing leaves discarded host pages under the mapping");
        Assert.Equal(plain.HostPagesOwed, plain.HostRefaultsOwed);
        Assert.Equal(0, plain.PagesWrittenByWorkload);

        var write = SeedBenchmark.RunMode(Small(true), 3, hostZeroesPages: true).Total;
        Assert.Equal(32L * 256 * 4, write.PagesWrittenByWorkload);
        Assert.Equal(write.HostPagesOwed, write.HostPopulatesAtWrite);
        Assert.Equal(0, write.Corruptions);
    }

    [Fact]
    public void Baseline_OwesNothing_ZeroingWroteEveryPage()
    {
        var b = SeedBenchmark.RunMode(Small(true), 3, hostZeroesPages: false).Total;
        Assert.Equal(0, b.HostPagesOwed);
        Assert.Equal(0, b.HostPopulatesAtWrite);
    }
}
