using System.Text.Json;
using EcsMm.Bench;
using EcsMm.Scenarios.Model;
using EcsMm.Scenarios.Running;

namespace EcsMm.Scenarios.Tests;

/// <summary>
/// `ecsmm run` (the scenario runner, one pipeline run per step) and the engine's <see cref="SeedBenchmark"/> loop run
/// bench.sh through the same <see cref="SeedGuest.RunCommand{T}"/>, so they compute the same figures, metric by metric.
/// </summary>
public sealed class RunnerEngineAgreementTests
{
    [Theory]
    [InlineData("always", "none", "mainline", "reported_blocks", 1, 32)]
    [InlineData("never", "none", "mainline", "reported_blocks", 1, 32)]
    [InlineData("always", "hugetlb", "mainline", "reported_blocks", 1, 32)]
    [InlineData("always", "none", "6.1", "reported_blocks", 1, 32)]
    [InlineData("never", "none", "mainline", "base_pages", 1, 32)]
    [InlineData("always", "none", "mainline", "reported_blocks", 2, 16)]
    [InlineData("always", "none", "mainline", "reported_blocks", 1, 32, "bench: {warmup_seconds: 1, gap_seconds: 0.5, balloon_loaded_at_boot: false}")]
    [InlineData("always", "none", "mainline", "reported_blocks", 1, 32, "bench: {after_baseline: true}")]
    [InlineData("always", "hugetlb", "mainline", "reported_blocks", 1, 32, "bench: {after_baseline: true, balloon_loaded_at_boot: false}")]
    public void TheRunnerAndTheEngineLoopGiveIdenticalMetrics(string thp, string huge, string kernel, string unit, int cpus, int capacity, string bench = "")
    {
        var yaml = $"""
            name: agree
            seed: 7
            iterations: 3
            kernel: "{kernel}"
            guest:
              memory: 512M
              cpus: {cpus}
            reporting:
              flush_budget: 512
              flush_budget_unit: {unit}
              capacity: {capacity}
            thp:
              enabled: {thp}
            hugetlb:
              nr_overcommit_hugepages: 32
            balloon:
              host_zeroes_pages: [0, 1]
            {bench}
            setup:
              - flush: {"{"}pages: 512{"}"}
            iteration:
              - drop_caches
              - flush: {"{"}pages: 512{"}"}
              - alloc_once: {"{"}size: 64M, huge: {huge}{"}"}
            """;
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "agree.yaml");
        File.WriteAllText(file, yaml);
        var json = Path.Combine(dir.Path, "agree.json");
        var r = Cli.Run("run", file, "-q", "--json", json);
        Assert.True(r.ExitCode == 0, r.Err);

        var spec = SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Load(file).Spec);
        var engine = SeedBenchmark.Run(spec, 7);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var modes = doc.RootElement.GetProperty("modes");
        foreach (var (index, mode) in new[] { (0, engine.Baseline), (1, engine.Optimized) })
        {
            var cli = modes[index].GetProperty("metrics");
            var compared = 0;
            foreach (var m in VmMetrics.Of(mode))
            {
                Assert.True(cli.TryGetProperty(m.Name, out var v), $"the runner's JSON lacks {m.Name}");
                Assert.True(v.GetDouble() == m.Value, $"mode {index} {m.Name}: runner {v.GetDouble()}, engine {m.Value}");
                compared++;
            }

            Assert.True(compared >= 14, $"only {compared} metrics compared");
        }

        Assert.True(engine.Optimized.Total.Hinted.Sum() > 0, "the optimized run skipped no zeroing: the comparison would be trivial");
    }
}
