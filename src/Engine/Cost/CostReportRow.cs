namespace EcsMm.Cost;

/// <summary>One row of the seed's perf-stat table: a metric per run in both modes (mean ± stddev over iterations) and the delta of the means.</summary>
public sealed record CostReportRow(string Metric, string Unit, MeanStd Baseline, MeanStd Optimized)
{
    /// <summary>(optimized − baseline) / baseline in percent.</summary>
    public double DeltaPercent => Baseline.Mean == 0 ? 0 : 100.0 * (Optimized.Mean - Baseline.Mean) / Baseline.Mean;
}
