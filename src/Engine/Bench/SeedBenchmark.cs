using EcsMm.Mm;

namespace EcsMm.Bench;

/// <summary>
/// The seed's benchmark step by step, deterministic for a seed. bench.sh: reload the balloon with
/// host_zeroes_pages = mode, flush 512, optionally nr_overcommit_hugepages = SZ/2; then per iteration: drop caches,
/// flush 512, alloc_once, each as one <see cref="SeedGuest.RunCommand{T}"/> (as <c>ecsmm run</c> runs its steps).
/// alloc_once: a new process mmaps SZ MiB (MAP_PRIVATE | MAP_ANONYMOUS [| MAP_HUGETLB]),
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

    /// <summary>
    /// Run one mode on a fresh guest; with <see cref="SeedBenchmarkSpec.AfterBaseline"/>, the optimized mode's guest
    /// runs the baseline's bench.sh first (<see cref="SeedGuest.PrepareForBench"/>).
    /// </summary>
    public static SeedModeResult RunMode(SeedBenchmarkSpec spec, ulong seed, bool hostZeroesPages)
    {
        if (spec.SizeMiB < 1)
        {
            throw new ArgumentException($"scenario '{spec.Name}': the seed benchmark needs an alloc_once of at least 1 MiB");
        }

        var g = new SeedGuest(spec, seed, hostZeroesPages);
        var nrOvercommit = spec.NrOvercommitHugepages ?? (spec.Hugetlb ? spec.SizeMiB / 2 : 0);
        g.PrepareForBench(nrOvercommit, spec.AfterBaseline && hostZeroesPages ? () => RunBench(g, spec) : null);
        var (runs, total) = RunBench(g, spec);
        if (spec.Hugetlb)
        {
            g.Memory.Hugetlb.NrOvercommitHugepages = 0;
        }

        return new SeedModeResult(hostZeroesPages, runs, total);
    }

    /// <summary>bench.sh after its reload: flush, fill a persistent pool, then the iterations with their gaps.</summary>
    private static (List<SeedIterationMetrics> Runs, SeedIterationMetrics Total) RunBench(SeedGuest g, SeedBenchmarkSpec spec)
    {
        g.RunCommand(() => g.Flush(spec.FlushBudget));
        g.FillHugetlbPool(spec.NrHugepages);

        var runs = new List<SeedIterationMetrics>(spec.Iterations);
        var total = new SeedIterationMetrics();
        for (var it = 0; it < spec.Iterations; it++)
        {
            g.RunCommand(g.Workload.DropCaches);
            var flushed = g.RunCommand(() => g.Flush(spec.FlushBudget));
            var m = g.RunCommand(() => g.AllocOnce((long)spec.SizeMiB << 20, spec.Hugetlb, spec.WriteAfterPopulate));
            m.PagesReportedByFlush = flushed.Pages;
            m.ReportCallsByFlush = flushed.ReportCalls;
            m.BlocksReportedByFlush = flushed.Blocks;
            if (spec.ValidateMode)
            {
                g.CheckInvariants();
            }

            runs.Add(m);
            total.Add(m);
            for (var s = 0; s < spec.StepsBetweenIterations; s++)
            {
                g.Step();
            }
        }

        return (runs, total);
    }
}
