namespace EcsMm.Cost;

/// <summary>Mean and sample standard deviation over iterations (perf stat -r prints mean ± stddev).</summary>
public readonly record struct MeanStd(double Mean, double StdDev)
{
    /// <summary>Mean and sample standard deviation of <paramref name="values"/> (stddev 0 for fewer than two).</summary>
    public static MeanStd Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return default;
        }

        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / values.Count;
        if (values.Count < 2)
        {
            return new MeanStd(mean, 0);
        }

        double sq = 0;
        foreach (var v in values)
        {
            sq += (v - mean) * (v - mean);
        }

        return new MeanStd(mean, Math.Sqrt(sq / (values.Count - 1)));
    }
}
