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
    public void Add(SeedIterationMetrics other)
    {
        AddInto(Faults, other.Faults);
        AddInto(Allocations, other.Allocations);
        AddInto(FromReported, other.FromReported);
        AddInto(Hinted, other.Hinted);
        AddInto(PagesZeroed, other.PagesZeroed);
        AddInto(PagesSkipped, other.PagesSkipped);
        ThpFallbacks += other.ThpFallbacks;
        ThpFromPcp += other.ThpFromPcp;
        ThpRecycledViaPcp += other.ThpRecycledViaPcp;
        ThpRecycledHinted += other.ThpRecycledHinted;
        ThpFromBuddy += other.ThpFromBuddy;
        HostPopulates += other.HostPopulates;
        HostRefaults += other.HostRefaults;
        Corruptions += other.Corruptions;
        PagesReportedByFlush += other.PagesReportedByFlush;
        ReportCallsByFlush += other.ReportCallsByFlush;
        BlocksReportedByFlush += other.BlocksReportedByFlush;
        HostPagesOwed += other.HostPagesOwed;
        HostRefaultsOwed += other.HostRefaultsOwed;
        PagesWrittenByWorkload += other.PagesWrittenByWorkload;
        HostPopulatesAtWrite += other.HostPopulatesAtWrite;
    }

    /// <summary>The guest's cumulative counters now (subtract two captures for a window).</summary>
    public static SeedIterationMetrics Capture(SeedGuest g)
    {
        var m = new SeedIterationMetrics();
        var s = g.Memory.Stats;
        AddInto(m.Faults, s.Faults);
        AddInto(m.Allocations, s.Allocations);
        AddInto(m.FromReported, s.FromReported);
        AddInto(m.Hinted, s.Hinted);
        AddInto(m.PagesZeroed, g.Oracle.PagesZeroed);
        AddInto(m.PagesSkipped, g.Oracle.PagesSkipped);
        m.ThpFallbacks = s.ThpFallbacks;
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
        Sub(d.Faults, Faults, earlier.Faults);
        Sub(d.Allocations, Allocations, earlier.Allocations);
        Sub(d.FromReported, FromReported, earlier.FromReported);
        Sub(d.Hinted, Hinted, earlier.Hinted);
        Sub(d.PagesZeroed, PagesZeroed, earlier.PagesZeroed);
        Sub(d.PagesSkipped, PagesSkipped, earlier.PagesSkipped);
        d.ThpFallbacks = ThpFallbacks - earlier.ThpFallbacks;
        d.ThpFromPcp = ThpFromPcp - earlier.ThpFromPcp;
        d.ThpRecycledViaPcp = ThpRecycledViaPcp - earlier.ThpRecycledViaPcp;
        d.ThpRecycledHinted = ThpRecycledHinted - earlier.ThpRecycledHinted;
        d.ThpFromBuddy = ThpFromBuddy - earlier.ThpFromBuddy;
        d.HostPopulates = HostPopulates - earlier.HostPopulates;
        d.HostRefaults = HostRefaults - earlier.HostRefaults;
        d.Corruptions = Corruptions - earlier.Corruptions;
        d.PagesReportedByFlush = PagesReportedByFlush - earlier.PagesReportedByFlush;
        return d;
    }

    private static void Sub(long[] into, long[] b, long[] a)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = b[i] - a[i];
        }
    }

    internal static void AddInto(long[] into, long[] from)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] += from[i];
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
