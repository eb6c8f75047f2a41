using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Bench;

/// <summary>
/// What one alloc_once run (mmap, MADV_POPULATE_WRITE, munmap and the frees that follow) did, or a sum of runs:
/// faults by kind, the allocations the faults made by order (total, served from reported pages, hinted), pages
/// zeroed and skipped per zeroing path, host populates and refaults, and oracle corruptions.
/// </summary>
public sealed class SeedIterationMetrics
{
    public long[] Faults { get; } = new long[FaultKinds.Count];

    public long ThpFallbacks { get; set; }

    /// <summary>mTHP orders tried and failed before a lower one (FaultStats.MthpFallbacks).</summary>
    public long MthpFallbacks { get; set; }

    /// <summary>Fault allocations that failed outright (out of memory, or an empty hugetlb pool without surplus).</summary>
    public long AllocFailures { get; set; }

    /// <summary>THP faults served straight off the pcp THP list.</summary>
    public long ThpFromPcp { get; set; }

    /// <summary>Of <see cref="ThpFromPcp"/>, THPs an earlier free put on the pcp list and this fault reused from it (never back in buddy, so never reported or hinted).</summary>
    public long ThpRecycledViaPcp { get; set; }

    /// <summary>Of <see cref="ThpRecycledViaPcp"/>, those that came hinted (a model check: always 0).</summary>
    public long ThpRecycledHinted { get; set; }

    /// <summary>THP faults served from buddy.</summary>
    public long ThpFromBuddy { get; set; }

    public long[] Allocations { get; } = new long[MmConstants.NrPageOrders];

    public long[] FromReported { get; } = new long[MmConstants.NrPageOrders];

    public long[] Hinted { get; } = new long[MmConstants.NrPageOrders];

    public long[] PagesZeroed { get; } = new long[ZeroingPaths.Count];

    public long[] PagesSkipped { get; } = new long[ZeroingPaths.Count];

    public long HostPopulates { get; set; }

    public long HostRefaults { get; set; }

    public long Corruptions { get; set; }

    /// <summary>Pages the flush before this run reported.</summary>
    public long PagesReportedByFlush { get; set; }

    /// <summary>prdev-&gt;report() calls of the flush before this run.</summary>
    public long ReportCallsByFlush { get; set; }

    /// <summary>Blocks (scatterlist entries, any order) the flush before this run reported.</summary>
    public long BlocksReportedByFlush { get; set; }

    /// <summary>
    /// Host pages under the mapping without backing once MADV_POPULATE_WRITE returned (before any data write):
    /// the host populates the first write to the memory still owes.
    /// </summary>
    public long HostPagesOwed { get; set; }

    /// <summary>Of <see cref="HostPagesOwed"/>, those discarded since last populated (refaults owed).</summary>
    public long HostRefaultsOwed { get; set; }

    /// <summary>4 KiB pages alloc_once wrote with data (<see cref="SeedBenchmarkSpec.WriteAfterPopulate"/>).</summary>
    public long PagesWrittenByWorkload { get; set; }

    /// <summary>Host populates caused by those data writes (included in <see cref="HostPopulates"/>).</summary>
    public long HostPopulatesAtWrite { get; set; }

    /// <summary>Percentage of the order's allocations served from reported pages (0 when there were none).</summary>
    public double FromReportedPercent(int order) => Allocations[order] == 0 ? 0 : 100.0 * FromReported[order] / Allocations[order];

    /// <summary>Percentage of the order's allocations that came with PGHINT_ZEROED.</summary>
    public double HintedPercent(int order) => Allocations[order] == 0 ? 0 : 100.0 * Hinted[order] / Allocations[order];

    public long TotalZeroed => Sum(PagesZeroed);

    public long TotalSkipped => Sum(PagesSkipped);

    /// <summary>Add <paramref name="other"/> into this.</summary>
    public void Add(SeedIterationMetrics other) => Accumulate(other, 1);

    /// <summary>The guest's cumulative counters now (subtract two captures for a window).</summary>
    public static SeedIterationMetrics Capture(SeedGuest g)
    {
        var m = new SeedIterationMetrics();
        var s = g.Memory.Stats;
        AddScaled(m.Faults, s.Faults, 1);
        AddScaled(m.Allocations, s.Allocations, 1);
        AddScaled(m.FromReported, s.FromReported, 1);
        AddScaled(m.Hinted, s.Hinted, 1);
        AddScaled(m.PagesZeroed, g.Oracle.PagesZeroed, 1);
        AddScaled(m.PagesSkipped, g.Oracle.PagesSkipped, 1);
        m.ThpFallbacks = s.ThpFallbacks;
        m.MthpFallbacks = s.MthpFallbacks;
        m.AllocFailures = s.Failures;
        m.ThpFromPcp = s.ThpFromPcp;
        m.ThpRecycledViaPcp = s.ThpRecycledViaPcp;
        m.ThpRecycledHinted = s.ThpRecycledHinted;
        m.ThpFromBuddy = s.ThpFromBuddy;
        m.HostPopulates = g.Host.Stats.Populates;
        m.HostRefaults = g.Host.Stats.Refaults;
        m.Corruptions = g.Oracle.Corruptions;
        return m;
    }

    /// <summary>This capture minus an earlier one.</summary>
    public SeedIterationMetrics Minus(SeedIterationMetrics earlier)
    {
        var d = new SeedIterationMetrics();
        d.Accumulate(this, 1);
        d.Accumulate(earlier, -1);
        return d;
    }

    /// <summary>Every counter += <paramref name="k"/> × the other's (the one list of the fields Add and Minus use).</summary>
    private void Accumulate(SeedIterationMetrics o, long k)
    {
        AddScaled(Faults, o.Faults, k);
        AddScaled(Allocations, o.Allocations, k);
        AddScaled(FromReported, o.FromReported, k);
        AddScaled(Hinted, o.Hinted, k);
        AddScaled(PagesZeroed, o.PagesZeroed, k);
        AddScaled(PagesSkipped, o.PagesSkipped, k);
        ThpFallbacks += k * o.ThpFallbacks;
        MthpFallbacks += k * o.MthpFallbacks;
        AllocFailures += k * o.AllocFailures;
        ThpFromPcp += k * o.ThpFromPcp;
        ThpRecycledViaPcp += k * o.ThpRecycledViaPcp;
        ThpRecycledHinted += k * o.ThpRecycledHinted;
        ThpFromBuddy += k * o.ThpFromBuddy;
        HostPopulates += k * o.HostPopulates;
        HostRefaults += k * o.HostRefaults;
        Corruptions += k * o.Corruptions;
        PagesReportedByFlush += k * o.PagesReportedByFlush;
        ReportCallsByFlush += k * o.ReportCallsByFlush;
        BlocksReportedByFlush += k * o.BlocksReportedByFlush;
        HostPagesOwed += k * o.HostPagesOwed;
        HostRefaultsOwed += k * o.HostRefaultsOwed;
        PagesWrittenByWorkload += k * o.PagesWrittenByWorkload;
        HostPopulatesAtWrite += k * o.HostPopulatesAtWrite;
    }

    private static void AddScaled(long[] into, long[] from, long k)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] += k * from[i];
        }
    }

    private static long Sum(long[] a)
    {
        long s = 0;
        foreach (var x in a)
        {
            s += x;
        }

        return s;
    }
}

/// <summary>The runs of one mode (baseline: host_zeroes_pages = 0; optimized: 1).</summary>
public sealed record SeedModeResult(bool HostZeroesPages, IReadOnlyList<SeedIterationMetrics> Iterations, SeedIterationMetrics Total)
{
    public string ModeName => HostZeroesPages ? "optimized" : "baseline";
}

/// <summary>Both modes of a seed benchmark run, for a spec and a seed.</summary>
public sealed record SeedBenchmarkResult(SeedBenchmarkSpec Spec, ulong Seed, SeedModeResult Baseline, SeedModeResult Optimized);
