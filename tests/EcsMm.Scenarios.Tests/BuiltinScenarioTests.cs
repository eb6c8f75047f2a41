using EcsMm.Scenario;
using EcsMm.Scenarios.Model;

namespace EcsMm.Scenarios.Tests;

/// <summary>The shipped scenario files: they load, follow the seed's bench.sh, and `list` describes them.</summary>
public sealed class BuiltinScenarioTests
{
    [Theory]
    [InlineData("seed-thp", AllocHuge.None, 0)]
    [InlineData("seed-nothp", AllocHuge.None, 0)]
    [InlineData("seed-hugetlb", AllocHuge.Hugetlb, 128)]
    public void SeedScenariosFollowBenchSh(string name, AllocHuge huge, long overcommit)
    {
        var s = ScenarioLoader.Load(name).Spec;
        Assert.Equal(2L << 30, s.Guest.MemoryBytes);
        Assert.Equal(1, s.Guest.Cpus);
        Assert.Equal(10, s.Iterations);
        Assert.Equal([0, 1], s.Balloon.HostZeroesPages);
        Assert.Equal(overcommit, s.Hugetlb.NrOvercommitHugepages);
        Assert.Equal(new FlushStep(s.Setup[0].Line, 512), s.Setup[0]);
        Assert.IsType<DropCachesStep>(s.Iteration[0]);
        Assert.Equal(512, Assert.IsType<FlushStep>(s.Iteration[1]).Pages);
        var alloc = Assert.IsType<AllocOnceStep>(s.Iteration[2]);
        Assert.Equal(256L << 20, alloc.SizeBytes);
        Assert.Equal(huge, alloc.Huge);
    }

    [Fact]
    public void ThpScenarioDiffersOnlyInThpEnabled()
    {
        Assert.Equal("always", ScenarioLoader.Load("seed-thp").Spec.Thp.Enabled);
        Assert.Equal("never", ScenarioLoader.Load("seed-nothp").Spec.Thp.Enabled);
    }

    [Fact]
    public void ListDescribesEveryBuiltinScenario()
    {
        var r = Cli.Run("list");
        Assert.Equal(0, r.ExitCode);
        foreach (var name in new[] { "seed-thp", "seed-hugetlb", "seed-nothp", "allocator-churn" })
        {
            Assert.Contains(name, r.Out);
        }

        // Every built-in step is executed by the engine: none carries the "not executed" star.
        Assert.Contains("alloc_once", r.Out);
        Assert.DoesNotContain("alloc_once*", r.Out);
    }

    [Fact]
    public void HelpShowsExamplesAndExitsZero()
    {
        var r = Cli.Run("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Examples:", r.Out);
        Assert.Contains("ecsmm run seed-thp", r.Out);
    }

    [Fact]
    public void SeedThpRunsTheBenchmarkOnTheVmModel()
    {
        var r = Cli.Run("run", "seed-thp");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("baseline", r.Out);
        Assert.Contains("optimized", r.Out);
        Assert.Contains("delta", r.Out);
        Assert.Contains("faults_thp", r.Out);
        Assert.Contains("pages_zeroing_skipped_folio_zero_user", r.Out);
        Assert.DoesNotContain("not executed", r.Out);

        // The seed's perf-stat table from the cost model, and the deferred host work it hides.
        Assert.Contains("task-clock", r.Out);
        Assert.Contains("cache-misses", r.Out);
        Assert.Contains("host work the optimized run deferred", r.Out);
    }

    [Fact]
    public void AVmScenarioTooSmallForTheModelIsAnInputError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ecsmm-small-vm-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "name: tiny\nguest: {memory: 32M}\niteration: [{alloc_once: {size: 4M}}]\n");
        try
        {
            var r = Cli.Run("run", path, "--quiet");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("guest.memory", r.Err);
            Assert.DoesNotContain("   at ", r.Err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnEmptyCostProfileIsAnInputError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ecsmm-empty-costs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "# nothing\n");
        try
        {
            var r = Cli.Run("run", "seed-thp", "--costs", path, "--quiet");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("expected a section", r.Err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ABadCostProfileIsAnInputErrorNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ecsmm-bad-costs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "zero_4k_bytes_per_second: fast\n");
        try
        {
            var r = Cli.Run("run", "seed-thp", "--costs", path, "--quiet");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(Path.GetFileName(path), r.Err);
            Assert.DoesNotContain("   at ", r.Err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BriefShowsThePerfTableAndTheZeroingMetrics_NotEveryAllocatorCounter()
    {
        var full = Cli.Run("run", "seed-thp", "--set", "iterations=2");
        var brief = Cli.Run("run", "seed-thp", "--set", "iterations=2", "--brief");
        Assert.Equal(0, brief.ExitCode);
        foreach (var r in new[] { full, brief })
        {
            Assert.Contains("task-clock", r.Out);
            Assert.Contains("hinted_order9", r.Out);
            Assert.Contains("host_refaults", r.Out);
        }

        Assert.Contains("buddy_merges", full.Out);
        Assert.DoesNotContain("buddy_merges", brief.Out);
        Assert.DoesNotContain("free_blocks_order_10", brief.Out);
    }

    private static string RepoFile(params string[] parts)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EcsMm.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        return Path.Combine([root!.FullName, .. parts]);
    }

    [Fact]
    public void TheWrongHintSample_CorruptsUnderV2_AndNotWithDeviceFeedback()
    {
        using var dir = new TempDir();
        var sample = RepoFile("samples", "scenarios", "v2-wrong-hint.yaml");
        var v2 = Path.Combine(dir.Path, "v2.json");
        var fb = Path.Combine(dir.Path, "fb.json");
        Assert.Equal(0, Cli.Run("run", sample, "-q", "--json", v2).ExitCode);
        Assert.Equal(0, Cli.Run("run", sample, "-q", "--json", fb, "--set", "balloon.device_init_reported=true").ExitCode);
        double Corruptions(string json)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
            return doc.RootElement.GetProperty("modes")[0].GetProperty("metrics").GetProperty("corruptions").GetDouble();
        }

        Assert.True(Corruptions(v2) > 0);
        Assert.Equal(0, Corruptions(fb));
    }

    [Fact]
    public void SeedThpWrite_IsSeedThpWithAWritingAllocOnce()
    {
        var write = ScenarioLoader.Load("seed-thp-write").Spec;
        Assert.True(Assert.IsType<AllocOnceStep>(write.Iteration[2]).Write);
        Assert.False(Assert.IsType<AllocOnceStep>(ScenarioLoader.Load("seed-thp").Spec.Iteration[2]).Write);
    }
}
