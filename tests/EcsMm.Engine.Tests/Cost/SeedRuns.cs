using System.Collections.Concurrent;
using EcsMm.Bench;

namespace EcsMm.Tests.Cost;

/// <summary>The full-size built-in seed benchmarks at seed 42, run once per test process and shared by the cost tests.</summary>
internal static class SeedRuns
{
    public const ulong Seed = 42;

    private static readonly ConcurrentDictionary<(string, bool), Lazy<SeedBenchmarkResult>> Runs = new();

    /// <summary>The built-in scenario <paramref name="name"/>, both modes; with <paramref name="write"/> the WriteAfterPopulate variant.</summary>
    public static SeedBenchmarkResult Get(string name, bool write = false) =>
        Runs.GetOrAdd((name, write), k => new Lazy<SeedBenchmarkResult>(() =>
            SeedBenchmark.Run(EcsMm.Tests.Bench.ScenarioFileTests.Load(k.Item1) with { WriteAfterPopulate = k.Item2 }, Seed))).Value;
}
