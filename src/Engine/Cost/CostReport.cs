using System.Globalization;
using System.Text;
using EcsMm.Bench;

namespace EcsMm.Cost;

/// <summary>
/// The seed's perf-stat table for a simulated seed benchmark (issue 6): task-clock, cache-misses and instructions per
/// alloc_once run, baseline against optimized; then the host work the optimized run deferred past the measurement
/// (populates still owed at the first write: count and time, and their share of the task-clock saving), the host
/// refaults paid inside the runs, and what a workload that writes its memory would see, simulated by a run of the
/// <see cref="SeedBenchmarkSpec.WriteAfterPopulate"/> variant when one is given. (Not projected from these runs: what
/// one run defers, a later run may repay inside its measurement — a THP whose zeroing was skipped is freed unwritten,
/// comes back off the pcp list without the hint and is zeroed, refaulting — so owed work does not add up across
/// runs.) Every figure is computed from the simulation's counters with the profile's constants.
/// </summary>
public sealed class CostReport
{
    private CostReport(SeedBenchmarkResult result, CostProfile profile, SeedBenchmarkResult? writeVariant)
    {
        Result = result;
        Profile = profile;
        var model = new CostModel(profile);
        var hostPage = result.Spec.HostPageBytes;
        Baseline = result.Baseline.Iterations.Select(m => model.Estimate(m, hostPage)).ToArray();
        Optimized = result.Optimized.Iterations.Select(m => model.Estimate(m, hostPage)).ToArray();
        PerfRows = Rows(Baseline, Optimized);

        DeferredHostPages = MeanStd.Of(Optimized.Select(e => (double)e.DeferredHostPages).ToArray());
        DeferredRefaults = MeanStd.Of(Optimized.Select(e => (double)e.DeferredRefaults).ToArray());
        DeferredMs = MeanStd.Of(Optimized.Select(e => e.DeferredNs / 1e6).ToArray());
        var saving = TaskClock.Baseline.Mean - TaskClock.Optimized.Mean;
        DeferredShareOfSavingPercent = saving <= 0 ? 0 : 100.0 * DeferredMs.Mean / saving;

        BaselineRefaults = MeanStd.Of(result.Baseline.Iterations.Select(m => (double)m.HostRefaults).ToArray());
        OptimizedRefaults = MeanStd.Of(result.Optimized.Iterations.Select(m => (double)m.HostRefaults).ToArray());
        if (result.Spec.WriteAfterPopulate && writeVariant is not null)
        {
            throw new ArgumentException("give the plain run as the result and the WriteAfterPopulate run as the write variant", nameof(result));
        }

        if (writeVariant is not null)
        {
            if (!writeVariant.Spec.WriteAfterPopulate)
            {
                throw new ArgumentException("the write variant's spec must have WriteAfterPopulate", nameof(writeVariant));
            }

            var wb = writeVariant.Baseline.Iterations.Select(m => model.Estimate(m, writeVariant.Spec.HostPageBytes)).ToArray();
            var wo = writeVariant.Optimized.Iterations.Select(m => model.Estimate(m, writeVariant.Spec.HostPageBytes)).ToArray();
            SimulatedWriteRows = Rows(wb, wo);
        }

        ReportingMs = MeanStd.Of(result.Optimized.Iterations
            .Select(m => model.ReportingNs(m.ReportCallsByFlush, m.BlocksReportedByFlush) / 1e6).ToArray());
    }

    public SeedBenchmarkResult Result { get; }

    public CostProfile Profile { get; }

    /// <summary>Per-iteration estimates, baseline mode.</summary>
    public IReadOnlyList<PerfEstimate> Baseline { get; }

    /// <summary>Per-iteration estimates, optimized mode.</summary>
    public IReadOnlyList<PerfEstimate> Optimized { get; }

    /// <summary>task-clock (ms), cache-misses, instructions.</summary>
    public IReadOnlyList<CostReportRow> PerfRows { get; }

    public CostReportRow TaskClock => PerfRows[0];

    public CostReportRow CacheMisses => PerfRows[1];

    public CostReportRow Instructions => PerfRows[2];

    /// <summary>Host pages the optimized run left unbacked under its mapping (populates owed at the first write), per run.</summary>
    public MeanStd DeferredHostPages { get; }

    /// <summary>Of those, host pages discarded by a report (refaults owed), per run.</summary>
    public MeanStd DeferredRefaults { get; }

    /// <summary>Host time owed for them, per run (ms).</summary>
    public MeanStd DeferredMs { get; }

    /// <summary>The deferred host time as a share of the task-clock saving (baseline − optimized).</summary>
    public double DeferredShareOfSavingPercent { get; }

    /// <summary>The saving is at least 1 % of the baseline task-clock, so a share of it means something.</summary>
    public bool SavingIsMeaningful
    {
        get
        {
            var saving = TaskClock.Baseline.Mean - TaskClock.Optimized.Mean;
            return saving > 0 && saving >= 0.01 * TaskClock.Baseline.Mean;
        }
    }

    /// <summary>Host refaults (populates of discarded host pages) inside the baseline runs, per run.</summary>
    public MeanStd BaselineRefaults { get; }

    /// <summary>Host refaults inside the optimized runs, per run: unhinted discarded blocks, and deferrals of earlier runs repaid.</summary>
    public MeanStd OptimizedRefaults { get; }

    /// <summary>What a workload that writes all its memory after populating it sees, simulated with the write variant (null when none was given).</summary>
    public IReadOnlyList<CostReportRow>? SimulatedWriteRows { get; }

    /// <summary>Reporting work of the flush before each optimized run (report calls and host discards; outside task-clock), ms.</summary>
    public MeanStd ReportingMs { get; }

    /// <summary>The report of a simulated seed benchmark; <paramref name="writeVariant"/> optionally adds the simulated write variant.</summary>
    public static CostReport Create(SeedBenchmarkResult result, CostProfile? profile = null, SeedBenchmarkResult? writeVariant = null) =>
        new(result, profile ?? CostProfile.Default, writeVariant);

    /// <summary>The table in the seed's layout, then the deferred host work and the write variant.</summary>
    public string Format()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var spec = Result.Spec;
        sb.Append(inv, $"{spec.Name}: {spec.SizeMiB} MiB, {spec.GuestMiB} MiB guest, {spec.Iterations} runs per mode, seed {Result.Seed}; per alloc_once run, mean ± stddev\n");
        AppendTable(sb, PerfRows);
        sb.Append('\n');
        sb.Append("host work the optimized run deferred past the measurement (populates owed at the first write):\n");
        sb.Append(inv, $"  host pages owed        {DeferredHostPages.Mean,10:F0} ± {DeferredHostPages.StdDev:F0} per run ({DeferredRefaults.Mean:F0} of them refaults of discarded pages)\n");
        var share = !SavingIsMeaningful
            ? "no share: the task-clock saving is under 1 % of the baseline"
            : DeferredShareOfSavingPercent > 100
                ? string.Create(inv, $"{DeferredShareOfSavingPercent:F0} % of the task-clock saving (more than it: later runs repay part inside their measurement)")
                : string.Create(inv, $"{DeferredShareOfSavingPercent:F0} % of the task-clock saving");
        sb.Append(inv, $"  host time owed         {DeferredMs.Mean,10:F1} ± {DeferredMs.StdDev:F1} ms per run = {share}\n");
        sb.Append(inv, $"  host refaults in a run {OptimizedRefaults.Mean,10:F0} ± {OptimizedRefaults.StdDev:F0} per optimized run, {BaselineRefaults.Mean:F0} ± {BaselineRefaults.StdDev:F0} per baseline run (inside task-clock)\n");
        sb.Append(inv, $"  reporting before a run {ReportingMs.Mean,10:F3} ms (flush: report calls and host discards; outside task-clock)\n");
        sb.Append('\n');
        if (Result.Spec.WriteAfterPopulate)
        {
            sb.Append("these runs write their memory (alloc_once write): the table above includes the writes and the host populates they trigger\n");
        }
        else if (SimulatedWriteRows is not null)
        {
            sb.Append("a workload that writes its memory after populating it (simulated: the same runs with alloc_once write: true):\n");
            AppendTable(sb, SimulatedWriteRows);
        }
        else
        {
            sb.Append("a workload that writes its memory: not simulated here (run the scenario with alloc_once write: true)\n");
        }

        return sb.ToString();
    }

    private static void AppendTable(StringBuilder sb, IReadOnlyList<CostReportRow> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"  {"metric",-14} {"baseline",22} {"optimized",22} {"delta",8}\n");
        foreach (var r in rows)
        {
            var isTime = r.Unit == "ms";
            sb.Append(inv, $"  {r.Metric,-14} {Cell(r.Baseline, isTime),22} {Cell(r.Optimized, isTime),22} {r.DeltaPercent,7:+0;-0;0}%\n");
        }
    }

    private static string Cell(MeanStd v, bool ms) =>
        ms ? string.Create(CultureInfo.InvariantCulture, $"{v.Mean:F0} ± {v.StdDev:F0} ms") : $"{Count(v.Mean)} ± {Count(v.StdDev)}";

    /// <summary>A count as perf prints it in the seed's table: 1.10M, 269K.</summary>
    internal static string Count(double v) => v switch
    {
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{v / 1e6:F2}M"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{v / 1e3:F0}K"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{v:F0}"),
    };

    private static IReadOnlyList<CostReportRow> Rows(IReadOnlyList<PerfEstimate> b, IReadOnlyList<PerfEstimate> o) =>
    [
        Row("task-clock", "ms", b.Select(e => e.TaskClockMs), o.Select(e => e.TaskClockMs)),
        Row("cache-misses", "", b.Select(e => e.CacheMisses), o.Select(e => e.CacheMisses)),
        Row("instructions", "", b.Select(e => e.Instructions), o.Select(e => e.Instructions)),
    ];

    private static CostReportRow Row(string metric, string unit, IEnumerable<double> b, IEnumerable<double> o) =>
        new(metric, unit, MeanStd.Of(b.ToArray()), MeanStd.Of(o.ToArray()));
}
