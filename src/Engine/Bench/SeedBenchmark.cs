using EcsMm.Mm;

namespace EcsMm.Bench;

/// <summary>
/// The seed's benchmark step by step, deterministic for a seed. bench.sh: reload the balloon with
/// host_zeroes_pages = mode, flush 512, optionally nr_overcommit_hugepages = SZ/2; then per iteration: drop caches,
/// flush 512, alloc_once. alloc_once: a new process mmaps SZ MiB (MAP_PRIVATE | MAP_ANONYMOUS [| MAP_HUGETLB]),
/// MADV_POPULATE_WRITE, munmap, exit. The background workload runs in the pipeline's Workload phase around it
/// (warm-up before bench.sh, and between iterations). Both modes start from the same seed, so they see the same
/// guest history up to the reload. The metrics of an iteration cover alloc_once (its faults, zeroing, host
/// populates and refaults, and the frees of its munmap).
/// </summary>
public static class SeedBenchmark
{
    /// <summary>Run both modes.</summary>
    public static SeedBenchmarkResult Run(SeedBenchmarkSpec spec, ulong seed) =>
        new(spec, seed, RunMode(spec, seed, hostZeroesPages: false), RunMode(spec, seed, hostZeroesPages: true));

    /// <summary>Run one mode on a fresh guest.</summary>
    public static SeedModeResult RunMode(SeedBenchmarkSpec spec, ulong seed, bool hostZeroesPages)
    {
        var g = new SeedGuest(spec, seed, hostZeroesPages);
        for (var i = 0; i < spec.WarmupSteps; i++)
        {
            g.Step();
        }

        g.ReloadBalloon();
        g.Reporting.Flush(spec.FlushBudget);
        if (spec.Hugetlb)
        {
            g.Memory.Hugetlb.NrOvercommitHugepages = spec.SizeMiB / 2;
        }

        if (spec.NrHugepages > 0)
        {
            g.Memory.Hugetlb.SetNrHugepages(spec.NrHugepages);
        }

        var runs = new List<SeedIterationMetrics>(spec.Iterations);
        var total = new SeedIterationMetrics();
        for (var it = 0; it < spec.Iterations; it++)
        {
            g.Workload.DropCaches();
            g.Step();
            var flushed = g.Reporting.Flush(spec.FlushBudget);
            var before = Snapshot(g);
            AllocOnce(g, spec);
            var m = Delta(before, Snapshot(g));
            m.PagesReportedByFlush = flushed;
            runs.Add(m);
            total.Add(m);
            for (var s = 0; s < spec.StepsBetweenIterations; s++)
            {
                g.Step();
            }
        }

        if (spec.Hugetlb)
        {
            g.Memory.Hugetlb.NrOvercommitHugepages = 0;
        }

        return new SeedModeResult(hostZeroesPages, runs, total);
    }

    /// <summary>alloc_once.c: mmap, MADV_POPULATE_WRITE, munmap, exit; the munmapped folios are freed in the next step's Frees phase.</summary>
    public static void AllocOnce(SeedGuest g, SeedBenchmarkSpec spec)
    {
        var mm = g.Memory;
        var process = mm.CreateProcess();
        var vma = mm.Mmap(process, (long)spec.SizeMiB << 20, spec.Hugetlb);
        mm.MadvisePopulateWrite(vma);
        mm.Munmap(vma);
        mm.ExitProcess(process);
    }

    private static SeedIterationMetrics Snapshot(SeedGuest g)
    {
        var m = new SeedIterationMetrics();
        var s = g.Memory.Stats;
        SeedIterationMetrics.AddInto(m.Faults, s.Faults);
        SeedIterationMetrics.AddInto(m.Allocations, s.Allocations);
        SeedIterationMetrics.AddInto(m.FromReported, s.FromReported);
        SeedIterationMetrics.AddInto(m.Hinted, s.Hinted);
        SeedIterationMetrics.AddInto(m.PagesZeroed, g.Oracle.PagesZeroed);
        SeedIterationMetrics.AddInto(m.PagesSkipped, g.Oracle.PagesSkipped);
        m.ThpFallbacks = s.ThpFallbacks;
        m.HostPopulates = g.Host.Stats.Populates;
        m.HostRefaults = g.Host.Stats.Refaults;
        m.Corruptions = g.Oracle.Corruptions;
        return m;
    }

    private static SeedIterationMetrics Delta(SeedIterationMetrics a, SeedIterationMetrics b)
    {
        var d = new SeedIterationMetrics();
        Sub(d.Faults, b.Faults, a.Faults);
        Sub(d.Allocations, b.Allocations, a.Allocations);
        Sub(d.FromReported, b.FromReported, a.FromReported);
        Sub(d.Hinted, b.Hinted, a.Hinted);
        Sub(d.PagesZeroed, b.PagesZeroed, a.PagesZeroed);
        Sub(d.PagesSkipped, b.PagesSkipped, a.PagesSkipped);
        d.ThpFallbacks = b.ThpFallbacks - a.ThpFallbacks;
        d.HostPopulates = b.HostPopulates - a.HostPopulates;
        d.HostRefaults = b.HostRefaults - a.HostRefaults;
        d.Corruptions = b.Corruptions - a.Corruptions;
        return d;
    }

    private static void Sub(long[] into, long[] b, long[] a)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = b[i] - a[i];
        }
    }
}
