using EcsMm.Bench;
using EcsMm.Scenarios.Model;

namespace EcsMm.Scenarios.Tests;

/// <summary>A VM scenario's guest and reporting keys reach the VM model (none is parsed and then ignored).</summary>
public sealed class VmScenarioKeysTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SeedGuest Guest(string guestAndReporting)
    {
        var text = $"name: k\n{guestAndReporting}\nballoon: {{host_zeroes_pages: 1}}\niteration:\n  - flush: {{pages: 512}}\n  - alloc_once: {{size: 16M}}\n";
        var spec = SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Parse(text, "k.yaml").Spec);
        return new SeedGuest(spec, 1, hostZeroesPages: true);
    }

    [Fact]
    public void GuestKeys_CpusZonesInitOnAllocAndThePcpHighFraction_ReachTheAllocator()
    {
        var g = Guest("guest: {memory: 512M, cpus: 2, zones: {dma: 0, dma32: 4G}, init_on_alloc: true, init_on_free: true, reserved: [{start: 0, size: 2M}], percpu_pagelist_high_fraction: 8}");
        var alloc = g.Guest.Alloc;
        Assert.Equal(2, alloc.Pcp.Cpus);
        Assert.True(alloc.Config.InitOnAlloc);
        Assert.True(alloc.Config.InitOnFree);
        Assert.Equal([new Mm.PfnRange(0, 512)], alloc.Config.Reserved);
        Assert.DoesNotContain(alloc.Zones, z => z.Type == Mm.ZoneType.Dma);
        var pcp = alloc.Pcp.PcpId(1, 0);
        Assert.Equal(alloc.Pcp.HighMin[pcp], alloc.Pcp.HighMax[pcp]);
        Assert.Equal(Mm.PageAlloc.ZoneHighSize(alloc.Zones[0].ManagedPages / 8, alloc.Pcp.Batch[pcp], 2), alloc.Pcp.High[pcp]);
    }

    [Fact]
    public void ReportingKeys_OrderCapacityAndDelay_ReachThePageReportingDevice()
    {
        var g = Guest("guest: {memory: 512M}\nreporting: {order: 10, capacity: 8, delay_seconds: 0.5}");
        Assert.Equal(10, g.Reporting.ReportingOrder);
        Assert.Equal(8, g.Reporting.Capacity);
        Assert.Equal(500_000_000, g.Reporting.DelayNs);
        Assert.True(g.Reporting.Registered);
    }

    [Fact]
    public void ReportingDisabled_NoDeviceIsRegistered_FlushesReportNothing_AndNothingIsHinted()
    {
        var path = _dir.File("off.yaml", "name: off\nguest: {memory: 512M}\nreporting: {enabled: false}\nballoon: {host_zeroes_pages: 1}\niterations: 2\niteration:\n  - flush: {pages: 512}\n  - alloc_once: {size: 64M}\n");
        var spec = SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Load(path).Spec);
        var r = SeedBenchmark.RunMode(spec, 1, hostZeroesPages: true);
        Assert.All(r.Iterations, m => Assert.Equal(0, m.PagesReportedByFlush));
        Assert.Equal(0, r.Total.Hinted.Sum());
        Assert.Equal(0, r.Total.FromReported.Sum());
    }

    [Fact]
    public void APcpHighFractionBelowEightIsRefusedAsTheKernelDoes__percpu_pagelist_high_fraction_sysctl_handler()
    {
        var path = _dir.File("f.yaml", "name: f\nguest:\n  memory: 512M\n  percpu_pagelist_high_fraction: 5\n");
        Cli.Run("run", path, "--quiet").AssertUserError("f.yaml:4", "guest.percpu_pagelist_high_fraction", "at least 8");
    }

    private static System.Text.Json.JsonElement Metrics(string json, int mode)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.GetProperty("modes")[mode].GetProperty("metrics").Clone();
    }

    private CliResult RunJson(string yaml, string json, params string[] extra)
    {
        var path = _dir.File(Path.GetFileNameWithoutExtension(json) + ".yaml", yaml);
        return Cli.Run(["run", path, "--quiet", "--json", json, .. extra]);
    }

    [Fact]
    public void AFlushStepWithoutPagesWritesReportingFlushBudget_SoSetChangesIt()
    {
        const string yaml = "name: fb\nguest: {memory: 2G}\nballoon: {host_zeroes_pages: 1}\niterations: 2\niteration:\n  - drop_caches\n  - flush\n  - alloc_once: {size: 64M}\n";
        var one = Path.Combine(_dir.Path, "one.json");
        var all = Path.Combine(_dir.Path, "all.json");
        Assert.Equal(0, RunJson(yaml, one, "--set", "reporting.flush_budget=1").ExitCode);
        Assert.Equal(0, RunJson(yaml, all, "--set", "reporting.flush_budget=0").ExitCode);
        Assert.True(Metrics(all, 0).GetProperty("pages_reported_by_flush").GetDouble() > Metrics(one, 0).GetProperty("pages_reported_by_flush").GetDouble());
    }

    [Fact]
    public void AReportingCapacityOtherThan32RunsCleanUnderValidate()
    {
        var json = Path.Combine(_dir.Path, "cap.json");
        var r = RunJson("name: cap\nguest: {memory: 512M}\nreporting: {capacity: 8}\niterations: 2\niteration:\n  - flush\n  - alloc_once: {size: 64M}\n", json, "--validate");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(Metrics(json, 1).GetProperty("hinted_order9").GetDouble() > 0);
    }

    [Fact]
    public void ReportingDisabledThroughTheRunner_NothingIsReportedOrHinted()
    {
        var json = Path.Combine(_dir.Path, "off2.json");
        var r = RunJson("name: off2\nguest: {memory: 512M}\nreporting: {enabled: false}\niterations: 2\niteration:\n  - flush\n  - alloc_once: {size: 64M}\n", json);
        Assert.True(r.ExitCode == 0, r.Err);
        var m = Metrics(json, 1);
        Assert.Equal(0, m.GetProperty("pages_reported_by_flush").GetDouble());
        Assert.Equal(0, m.GetProperty("hinted_order9").GetDouble());
    }

    [Fact]
    public void ABackgroundOnlyScenarioPrintsNoPerfTable_AndCountsFailedAllocations()
    {
        var path = _dir.File("bgonly.yaml", "name: bgonly\nguest: {memory: 256M}\niterations: 1\niteration:\n  - background: {workload: slab, size: 250M}\n  - background: {workload: mixed, size: 8K}\n");
        var json = Path.Combine(_dir.Path, "bgonly.json");
        var r = Cli.Run("run", path, "--json", json);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.DoesNotContain("task-clock", r.Out);
        var m = Metrics(json, 0);
        Assert.True(m.GetProperty("background_alloc_failures").GetDouble() > 0, "250M of slab cannot fit above the watermarks of a 256M guest");
        Assert.True(m.GetProperty("background_pages_loaded").GetDouble() > 0);
    }

    [Fact]
    public void AGuestTooSmallForTheVmModelIsRefusedAtItsLine()
    {
        var path = _dir.File("tiny.yaml", "name: tiny\nguest:\n  memory: 32M\niteration:\n  - alloc_once: {size: 8M}\n");
        Cli.Run("run", path, "--quiet").AssertUserError("tiny.yaml:3", "guest.memory", "at least 64M");
    }

    [Fact]
    public void PerIterationFiguresMatchTheEngineLoopsRunByRun_InTheJsonAndOnTheConsole()
    {
        var json = Path.Combine(_dir.Path, "iters.json");
        var path = _dir.File("iters.yaml", "name: iters\nguest: {memory: 512M}\niterations: 3\niteration:\n  - drop_caches\n  - flush\n  - alloc_once: {size: 64M}\n");
        var r = Cli.Run("run", path, "--json", json, "--per-iteration", "--brief");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("optimized: per iteration", r.Out);
        var engine = SeedBenchmark.Run(SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Load(path).Spec), 1);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var modes = doc.RootElement.GetProperty("modes");
        foreach (var (index, mode) in new[] { (0, engine.Baseline), (1, engine.Optimized) })
        {
            var its = modes[index].GetProperty("iterations").EnumerateArray().Select(i => i.GetProperty("vm")).ToList();
            Assert.Equal(3, its.Count);
            var keys = its[0].EnumerateObject().Select(p => p.Name).ToList();
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(keys, its[i].EnumerateObject().Select(p => p.Name).ToList()); // one key set per run
                Assert.Equal(mode.Iterations[i].Hinted[9], its[i].GetProperty("hinted_order9").GetInt64());
                Assert.Equal(mode.Iterations[i].HostRefaults, its[i].GetProperty("host_refaults").GetInt64());
                Assert.Equal(mode.Iterations[i].ThpRecycledViaPcp, its[i].GetProperty("thp_recycled_via_pcp").GetInt64());
            }
        }
    }

    [Fact]
    public void AllocOnceWriteRunsTheWritingWorkload_AndBenchSecondsMustBeWholeSteps()
    {
        var json = Path.Combine(_dir.Path, "w.json");
        var r = RunJson("name: w\nguest: {memory: 512M}\niterations: 2\niteration:\n  - flush\n  - alloc_once: {size: 64M, write: true}\n", json);
        Assert.True(r.ExitCode == 0, r.Err);
        var spec = SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Load(Path.Combine(_dir.Path, "w.yaml")).Spec);
        Assert.True(spec.WriteAfterPopulate);
        Assert.Equal(0, Metrics(json, 1).GetProperty("corruptions").GetDouble());

        var bad = _dir.File("g.yaml", "name: g\nguest: {memory: 512M}\nbench:\n  gap_seconds: 0.004\niteration:\n  - alloc_once: {size: 16M}\n");
        Cli.Run("run", bad, "--quiet").AssertUserError("g.yaml:4", "bench.gap_seconds", "multiple of 0.01");
    }

    [Fact]
    public void BenchKeys_WarmupGapAndTheBootTimeBalloon_ReachTheBenchmark()
    {
        var text = "name: b\nguest: {memory: 512M}\nbench: {warmup_seconds: 1, gap_seconds: 0.5, balloon_loaded_at_boot: false, after_baseline: true}\niteration:\n  - alloc_once: {size: 16M}\n";
        var spec = SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Parse(text, "b.yaml").Spec);
        Assert.Equal(100, spec.WarmupSteps);
        Assert.Equal(50, spec.StepsBetweenIterations);
        Assert.False(spec.BalloonLoadedAtBoot);
        Assert.True(spec.AfterBaseline);

        var defaults = SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Parse("name: d\nguest: {memory: 512M}\niteration:\n  - alloc_once: {size: 16M}\n", "d.yaml").Spec);
        Assert.Equal((300, 20, true, false), (defaults.WarmupSteps, defaults.StepsBetweenIterations, defaults.BalloonLoadedAtBoot, defaults.AfterBaseline));

        var bad = _dir.File("ab.yaml", "name: ab\nguest: {memory: 512M}\nbench:\n  after_baseline: sometimes\niteration:\n  - alloc_once: {size: 16M}\n");
        Cli.Run("run", bad, "--quiet").AssertUserError("ab.yaml:4", "bench.after_baseline");
    }

    [Fact]
    public void AnAllocOnceThatRunsOutOfMemoryIsCountedAndSaidSo()
    {
        var path = _dir.File("oom.yaml", "name: oom\nguest: {memory: 128M}\niterations: 1\niteration:\n  - alloc_once: {size: 120M}\n");
        var r = Cli.Run("run", path, "--brief");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("fault_alloc_failures", r.Out);
        Assert.Contains("fault allocation(s) failed (out of memory)", r.Out);
    }
}
