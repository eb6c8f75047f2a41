using EcsMm.Bench;
using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Scenarios.Running;

/// <summary>The run's virtual machine (guest, host, balloon, reporting, user memory) and what its alloc_once steps did.</summary>
public sealed class VmRun(SeedGuest guest)
{
    public SeedGuest Guest { get; } = guest;

    /// <summary>The metrics of the alloc_once steps of the current iteration.</summary>
    public SeedIterationMetrics Current { get; private set; } = new();

    /// <summary>Every finished iteration.</summary>
    public List<SeedIterationMetrics> Iterations { get; } = [];

    internal void Record(SeedIterationMetrics m) => Current.Add(m);

    internal void RecordFlush(FlushReport flushed)
    {
        Current.PagesReportedByFlush += flushed.Pages;
        Current.ReportCallsByFlush += flushed.ReportCalls;
        Current.BlocksReportedByFlush += flushed.Blocks;
    }

    /// <summary>The setup steps are done: what they did is not part of the first iteration.</summary>
    internal void StartIterations() => Current = new SeedIterationMetrics();

    internal void EndIteration()
    {
        Iterations.Add(Current);
        Current = new SeedIterationMetrics();
    }

    /// <summary>The iterations as the benchmark's per-mode result (for the cost report).</summary>
    public SeedModeResult ToModeResult()
    {
        var total = new SeedIterationMetrics();
        foreach (var m in Iterations)
        {
            total.Add(m);
        }

        return new SeedModeResult(Guest.HostZeroesPages, Iterations, total);
    }
}

/// <summary>alloc_once: a process mmaps the size, MADV_POPULATE_WRITE, munmap, exit (<see cref="SeedGuest.AllocOnce"/>).</summary>
public sealed class AllocOnceStepHandler : IStepHandler
{
    public bool Handles(WorkloadStep step) => step is AllocOnceStep;

    public void Execute(WorkloadStep step, World world, PageAlloc alloc, StepMetrics metrics)
    {
        var s = (AllocOnceStep)step;
        var vm = world.Resource<VmRun>();
        vm.Record(vm.Guest.AllocOnce(s.SizeBytes, s.Huge == AllocHuge.Hugetlb, s.Write));
        metrics.Add("alloc_once_runs", 1);
    }
}

/// <summary>echo N &gt; /sys/module/page_reporting/parameters/flush (seed patch 16).</summary>
public sealed class FlushStepHandler : IStepHandler
{
    public bool Handles(WorkloadStep step) => step is FlushStep;

    public void Execute(WorkloadStep step, World world, PageAlloc alloc, StepMetrics metrics)
    {
        var vm = world.Resource<VmRun>();
        var flushed = vm.Guest.Flush(((FlushStep)step).Pages);
        vm.RecordFlush(flushed);
        metrics.Add("pages_reported_by_flush", flushed.Pages);
    }
}

/// <summary>echo 3 &gt; /proc/sys/vm/drop_caches: the background workload drops its page cache; the Frees phase frees it.</summary>
public sealed class DropCachesStepHandler : IStepHandler
{
    public bool Handles(WorkloadStep step) => step is DropCachesStep;

    public void Execute(WorkloadStep step, World world, PageAlloc alloc, StepMetrics metrics)
    {
        metrics.Add("pages_dropped_from_cache", world.Resource<VmRun>().Guest.Workload.DropCaches());
    }
}

/// <summary>
/// background: a burst of page cache, reclaimable slab, or half of each (<see cref="Workloads.BackgroundWorkload.Load"/>),
/// on top of the background work every step of a VM scenario already does.
/// </summary>
public sealed class BackgroundStepHandler : IStepHandler
{
    public bool Handles(WorkloadStep step) => step is BackgroundStep;

    public void Execute(WorkloadStep step, World world, PageAlloc alloc, StepMetrics metrics)
    {
        var s = (BackgroundStep)step;
        var pages = s.SizeBytes >> Mm.MmConstants.PageShift;
        var (cache, slab) = s.Workload switch
        {
            BackgroundKind.PageCache => (pages, 0L),
            BackgroundKind.Slab => (0L, pages),
            _ => (pages / 2, pages - (pages / 2)),
        };
        var (loaded, failed) = world.Resource<VmRun>().Guest.Workload.Load(cache, slab);
        metrics.Add("background_pages_loaded", loaded);
        metrics.Add("background_alloc_failures", failed);
    }
}
