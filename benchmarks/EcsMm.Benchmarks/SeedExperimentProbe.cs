using System.Diagnostics;
using EcsMm.Bench;

namespace EcsMm.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- seed</c>: the whole seed experiment as issue 8 times it — the THP and the hugetlb
/// benchmark (SeedBenchmark: bench.sh 256 MB × 10 iterations), each in both modes (baseline and optimized) —
/// run three times in one process; prints the wall time of each run (the first includes JIT compilation).
/// <c>seed-thp SIZE</c>: the THP benchmark, both modes, on a guest of SIZE (e.g. 1T), once.
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

    public static int RunThpAt(string size)
    {
        long bytes;
        try
        {
            bytes = Guests.Bytes(size);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"seed-thp: size '{size}': expected a number with a K, M, G or T suffix (e.g. 1T)");
            return 2;
        }

        if (bytes < (1L << 30) || (bytes >> 20) > int.MaxValue)
        {
            Console.Error.WriteLine($"seed-thp: size '{size}': expected 1G to 2047T");
            return 2;
        }

        var spec = new SeedBenchmarkSpec { Name = "seed-thp", GuestMiB = (int)(bytes >> 20) };
        var sw = Stopwatch.StartNew();
        var result = SeedBenchmark.Run(spec, 1);
        Console.WriteLine($"seed-thp on {size}: both modes, {spec.Iterations} iterations each, {sw.Elapsed.TotalSeconds:F2} s wall");
        GC.KeepAlive(result);
        return 0;
    }
}
