using System.Diagnostics;
using EcsMm.Bench;

namespace EcsMm.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- seed</c>: the whole seed experiment as issue 8 times it — the THP and the hugetlb
/// benchmark (SeedBenchmark: bench.sh 256 MB × 10 iterations), each in both modes (baseline and optimized) —
/// run three times in one process; prints the wall time of each run (the first includes JIT compilation).
/// </summary>
internal static class SeedExperimentProbe
{
    public static int Run()
    {
        var thp = new SeedBenchmarkSpec { Name = "seed-thp" };
        var hugetlb = new SeedBenchmarkSpec { Name = "seed-hugetlb", Hugetlb = true };
        for (var run = 1; run <= 3; run++)
        {
            var sw = Stopwatch.StartNew();
            var a = SeedBenchmark.Run(thp, 1);
            var thpMs = sw.Elapsed.TotalMilliseconds;
            var b = SeedBenchmark.Run(hugetlb, 1);
            var totalMs = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"run {run}: seed experiment {totalMs:F0} ms wall (THP both modes {thpMs:F0} ms, hugetlb both modes {totalMs - thpMs:F0} ms)");
            GC.KeepAlive(a);
            GC.KeepAlive(b);
        }

        return 0;
    }
}
