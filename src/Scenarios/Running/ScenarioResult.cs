using EcsMm.Scenarios.Model;

namespace EcsMm.Scenarios.Running;

/// <summary>Everything one run computed, per mode; the reports (console, JSON, CSV, plots, /proc files) read only this.</summary>
public sealed record ScenarioResult(LoadedScenario Scenario, IReadOnlyList<ModeResult> Modes, IReadOnlyList<string> Plugins)
{
    /// <summary>The perf-stat estimate of a VM scenario run in both modes (task-clock, cache-misses, instructions, deferred host work).</summary>
    public Cost.CostReport? Costs { get; init; }
}

/// <summary>One mode of a run (host_zeroes_pages = 0: baseline, 1: optimized).</summary>
public sealed record ModeResult(
    string Mode,
    int HostZeroesPages,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<FreeAreaSample> Samples,
    IReadOnlyList<IterationSample> Iterations,
    IReadOnlyList<ProcSnapshot> Snapshots,
    IReadOnlyList<StepNotExecuted> NotExecuted,
    IReadOnlyList<string> Violations)
{
    /// <summary>What the VM model's alloc_once runs did, per iteration (null for allocator-only scenarios).</summary>
    public Bench.SeedModeResult? Vm { get; init; }

    /// <summary>The value of a metric, or null when this mode does not have it.</summary>
    public double? Value(string name)
    {
        foreach (var m in Metrics)
        {
            if (m.Name == name)
            {
                return m.Value;
            }
        }

        return null;
    }
}

/// <summary>A named number computed by the run.</summary>
public readonly record struct Metric(string Name, double Value);

/// <summary>The free blocks per order (all zones) after one pipeline step, with the simulated time.</summary>
public sealed record FreeAreaSample(long Step, long SimNs, string Label, long[] FreeBlocksPerOrder, long FreePages, long ReportedPages);

/// <summary>What one iteration did: pages allocated, pages zeroed by post_alloc_hook, zeroings skipped on the hint.</summary>
public sealed record IterationSample(int Iteration, long PagesAllocated, long PagesZeroed, long PagesZeroingSkipped);

/// <summary>/proc text captured at a named point of the run.</summary>
public sealed record ProcSnapshot(string Point, string BuddyInfo, string PageTypeInfo, string VmStat);

/// <summary>Steps of the scenario that no handler executes yet, with how often they came up and why.</summary>
public sealed record StepNotExecuted(string Kind, int Count, string Reason);
