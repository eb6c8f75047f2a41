using EcsMm.Bench;
using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Cost;

/// <summary>
/// The cost model: turns what the simulation counted in an alloc_once run (<see cref="SeedIterationMetrics"/>) into
/// perf-stat figures, with the constants of a <see cref="CostProfile"/>. Charges, per run:
/// <list type="bullet">
/// <item>each fault: the handler (time, instructions; same for every kind — an abstraction) plus its allocation
/// (pcp fast path for order-0, mTHP and THPs off the pcp THP list; an order-9 buddy allocation for THPs from
/// buddy and for hugetlb faults, whose surplus page comes from buddy);</item>
/// <item>guest zeroing: bytes / bandwidth, 4 KiB chunks for post_alloc_hook and clear_user_highpage (clear_page),
/// 2 MiB for folio_zero_user, hugetlb and memfd; cache misses and instructions per zeroed 4 KiB;</item>
/// <item>each host populate the run's writes triggered (the first guest write to a discarded or never-touched host
/// page): exit + KVM and host fault + allocation + re-entry (one overhead) plus the host's zero-fill of the host
/// page. In the seed's baseline the guest's zeroing is that write; in the optimized run MADV_POPULATE_WRITE
/// writes nothing, so the populates of skipped pages stay owed: counted as deferred, not as task-clock;</item>
/// <item>the workload's own data writes (the write variant) like zeroing, at the 4 KiB bandwidth.</item>
/// </list>
/// Host work adds no guest cache misses or instructions (KVM's guest PMU counters exclude the host). Reporting
/// and balloon work run in kworkers and on the host, outside the process's task-clock: see
/// <see cref="ReportingNs"/> and <see cref="BalloonInflateNs"/>. munmap's frees are inside the pcp pair figure.
/// </summary>
public sealed class CostModel(CostProfile profile)
{
    private const double PageBytes = MmConstants.PageSize;

    public CostProfile Profile { get; } = profile;

    /// <summary>Host time to populate one host page of <paramref name="hostPageBytes"/> (overhead + zero-fill).</summary>
    public double PopulateNs(int hostPageBytes)
    {
        var bw = hostPageBytes > (int)PageBytes ? Profile.Value(CostProfile.HostZeroBw2M) : Profile.Value(CostProfile.HostZeroBw4K);
        return Profile.Value(CostProfile.HostPopulateOverheadNs) + (hostPageBytes * 1e9 / bw);
    }

    /// <summary>Time of the fault handlers and allocations of the run.</summary>
    public double FaultNs(SeedIterationMetrics m)
    {
        var handler = Profile.Value(CostProfile.FaultHandlerNs);
        var pcp = Profile.Value(CostProfile.AllocPcpNs);
        var buddy9 = Profile.Value(CostProfile.AllocOrder9BuddyNs);
        double ns = TotalFaults(m) * handler;
        ns += (m.Faults[(int)FaultKind.Order0] + m.Faults[(int)FaultKind.Mthp]) * pcp;
        ns += (m.ThpFromPcp * pcp) + (m.ThpFromBuddy * buddy9);
        ns += m.Faults[(int)FaultKind.Hugetlb] * buddy9;
        return ns;
    }

    /// <summary>Time of the guest's zeroing of the run, per zeroing path's chunk size.</summary>
    public double GuestZeroNs(SeedIterationMetrics m)
    {
        var small = m.PagesZeroed[(int)ZeroingPath.PostAllocHook] + m.PagesZeroed[(int)ZeroingPath.ClearUserHighpage];
        var large = m.TotalZeroed - small;
        return (small * PageBytes * 1e9 / Profile.Value(CostProfile.ZeroBw4K)) + (large * PageBytes * 1e9 / Profile.Value(CostProfile.ZeroBw2M));
    }

    /// <summary>Time of the host populates the run's writes triggered.</summary>
    public double HostPopulateNs(SeedIterationMetrics m, int hostPageBytes) => m.HostPopulates * PopulateNs(hostPageBytes);

    /// <summary>Time of the workload's data writes.</summary>
    public double WriteNs(SeedIterationMetrics m) => WriteNs(m.PagesWrittenByWorkload);

    /// <summary>Time to write (or zero in 4 KiB chunks) <paramref name="pages"/> 4 KiB pages.</summary>
    public double WriteNs(double pages) => pages * PageBytes * 1e9 / Profile.Value(CostProfile.ZeroBw4K);

    /// <summary>Guest cache misses: per byte zeroed or written.</summary>
    public double CacheMisses(SeedIterationMetrics m) => WriteMisses(m.TotalZeroed + m.PagesWrittenByWorkload);

    /// <summary>Guest cache misses of zeroing or writing <paramref name="pages"/> 4 KiB pages.</summary>
    public double WriteMisses(double pages) => pages * PageBytes * Profile.Value(CostProfile.CacheMissesPerZeroedByte);

    /// <summary>Guest instructions: the fixed part of a run, the fault handlers, and per 4 KiB zeroed or written.</summary>
    public double Instructions(SeedIterationMetrics m, int runs = 1) =>
        (runs * Profile.Value(CostProfile.FixedInstructionsPerRun))
        + (TotalFaults(m) * Profile.Value(CostProfile.FaultHandlerInstructions))
        + WriteInstructions(m.TotalZeroed + m.PagesWrittenByWorkload);

    /// <summary>Guest instructions of zeroing or writing <paramref name="pages"/> 4 KiB pages.</summary>
    public double WriteInstructions(double pages) => pages * Profile.Value(CostProfile.ZeroingInstructionsPer4K);

    /// <summary>The run's estimate; <paramref name="hostPageBytes"/> is the host's RAMBlock page size.</summary>
    public PerfEstimate Estimate(SeedIterationMetrics m, int hostPageBytes)
    {
        var deferred = Math.Max(0, m.HostPagesOwed - m.HostPopulatesAtWrite);
        var deferredRefaults = m.PagesWrittenByWorkload > 0 ? 0 : m.HostRefaultsOwed;
        return new PerfEstimate(
            FaultNs(m), GuestZeroNs(m), HostPopulateNs(m, hostPageBytes), WriteNs(m), CacheMisses(m), Instructions(m),
            deferred, deferredRefaults, deferred * PopulateNs(hostPageBytes));
    }

    /// <summary>
    /// Free page reporting outside the process: one virtqueue round trip per report call and one host discard
    /// (madvise) per reported block; <paramref name="blocks"/> of pageblock order or more.
    /// </summary>
    public double ReportingNs(long reportCalls, long blocks) =>
        (reportCalls * Profile.Value(CostProfile.ReportCallNs)) + (blocks * Profile.Value(CostProfile.HostDiscardNsPerBlock));

    /// <summary>Balloon inflation pfn by pfn (allocation, sending the PFN, translation, host madvise) of <paramref name="pages"/> 4 KiB pages.</summary>
    public double BalloonInflateNs(long pages) => pages * Profile.Value(CostProfile.BalloonInflateNsPerPage);

    private static long TotalFaults(SeedIterationMetrics m)
    {
        long n = 0;
        foreach (var f in m.Faults)
        {
            n += f;
        }

        return n;
    }
}
