using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EcsMm.Bench;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// Whole scenarios: the seed's THP benchmark (bench.sh 256 MODE 10: reload, flush, 10 × alloc_once 256 MiB with
/// background work) in both modes, on guests of 2 GiB, 64 GiB and 1 TiB. One operation is the whole experiment
/// (baseline and optimized); the bytes-per-page column reports the allocation over the guest's pages.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class ScenarioBenchmarks
{
    [Params(2048, 65536, 1048576)]
    public int GuestMiB { get; set; }

    [Benchmark(Description = "seed-thp, both modes, 10 iterations")]
    public SeedBenchmarkResult SeedThp() =>
        SeedBenchmark.Run(new SeedBenchmarkSpec { Name = "seed-thp", GuestMiB = GuestMiB, Thp = ThpEnabled.Always }, seed: 42);
}
