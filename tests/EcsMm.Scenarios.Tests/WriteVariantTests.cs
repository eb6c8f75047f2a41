using System.Text.Json;

namespace EcsMm.Scenarios.Tests;

/// <summary>
/// `ecsmm run` also simulates a VM scenario with its alloc_once steps writing their memory, for the cost report's
/// "a workload that writes its memory" rows (console and JSON); `--no-write-variant` and sweeps leave it out.
/// </summary>
public sealed class WriteVariantTests : IDisposable
{
    private const string Scenario = "name: w\nseed: 3\niterations: 3\nguest: {memory: 512M}\nballoon: {host_zeroes_pages: [0, 1]}\niteration:\n  - drop_caches\n  - flush: {pages: 512}\n  - alloc_once: {size: 32M}\n";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private JsonElement RunJson(string yaml, params string[] extra)
    {
        var file = _dir.File("w.yaml", yaml);
        var json = Path.Combine(_dir.Path, "w.json");
        var r = Cli.Run(["run", file, "--quiet", "--json", json, .. extra]);
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void TheWriteVariantIsSimulatedAndReportedInTheJson()
    {
        var root = RunJson(Scenario);
        var tc = root.GetProperty("write_variant").GetProperty("task_clock_ms");
        Assert.True(tc.GetProperty("baseline").GetDouble() > 0);
        Assert.True(tc.GetProperty("optimized").GetDouble() > 0);

        // Writing costs time in both modes: every write-variant run is dearer than the plain run of its mode.
        var plain = root.GetProperty("modes")[0].GetProperty("metrics").GetProperty("task_clock_ms").GetDouble();
        Assert.True(tc.GetProperty("baseline").GetDouble() > plain);
    }

    [Fact]
    public void NoWriteVariantLeavesItOut_AndTheConsoleSaysSo()
    {
        Assert.Equal(JsonValueKind.Null, RunJson(Scenario, "--no-write-variant").GetProperty("write_variant").ValueKind);
        var r = Cli.Run("run", _dir.File("w.yaml", Scenario), "--brief", "--no-write-variant");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("a workload that writes its memory: not simulated here", r.Out);
    }

    [Fact]
    public void AnAllocOnceOnlyInSetupGetsNoPerRunTable_AndNoWriteVariant()
    {
        var yaml = "name: s\niterations: 2\nguest: {memory: 512M}\nballoon: {host_zeroes_pages: [0, 1]}\nsetup:\n  - alloc_once: {size: 16M}\niteration:\n  - flush: {pages: 512}\n";
        var root = RunJson(yaml);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("write_variant").ValueKind);
        Assert.False(root.GetProperty("modes")[0].GetProperty("metrics").TryGetProperty("task_clock_ms", out _));
    }

    [Fact]
    public void TheHeaderStatesTheUnverifiedInputsTheRunHad()
    {
        var plain = Cli.Run("run", _dir.File("w.yaml", Scenario), "--brief", "--no-write-variant");
        Assert.Contains("unverified inputs: pcp high auto-tuned (mainline); each mode on a fresh guest", plain.Out);

        var set = Cli.Run("run", _dir.File("w.yaml", Scenario), "--brief", "--no-write-variant",
            "--set", "guest.percpu_pagelist_high_fraction=16", "--set", "bench.after_baseline=true", "--set", "bench.gap_seconds=0.5");
        Assert.Contains("pcp high fixed at managed/16; the optimized bench.sh ran right after the baseline one in the same guest", set.Out);
        Assert.Contains("0.5 s between runs", set.Out);
    }
}
