namespace EcsMm.Cost;

/// <summary>
/// What the cost model charges one alloc_once run (or a sum of runs): the perf-stat counters the seed measured
/// (task-clock, cache-misses, instructions) with task-clock split by cause, and the host work the run left owed.
/// </summary>
public readonly record struct PerfEstimate(
    double FaultNs,
    double GuestZeroNs,
    double HostPopulateNs,
    double WriteNs,
    double CacheMisses,
    double Instructions,
    long DeferredHostPages,
    long DeferredRefaults,
    double DeferredNs)
{
    /// <summary>The process's task-clock: fault handlers and allocations, guest zeroing, host populates its writes
    /// triggered (the vCPU is out of the guest meanwhile, and the guest clock runs on), and its data writes.</summary>
    public double TaskClockNs => FaultNs + GuestZeroNs + HostPopulateNs + WriteNs;

    public double TaskClockMs => TaskClockNs / 1e6;
}
