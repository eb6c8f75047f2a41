namespace EcsMm.Cost;

/// <summary>One constant of the cost model: its value, unit, and where the value comes from (a citation, "fitted"
/// with the fit, or the file that overrode it).</summary>
public sealed record CostConstant(string Name, double Value, string Unit, string Source)
{
    /// <summary>Whether the value was fitted to the calibration target rather than taken from a source.</summary>
    public bool IsFitted => Source.StartsWith("fitted", StringComparison.Ordinal);
}
