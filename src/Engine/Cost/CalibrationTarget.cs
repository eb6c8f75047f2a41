namespace EcsMm.Cost;

/// <summary>
/// The one row the cost model is fitted to: the seed's THP baseline (per alloc_once run, means over its iterations),
/// read from the constants file with its source.
/// </summary>
public sealed record CalibrationTarget(string Scenario, string Mode, double TaskClockMs, double CacheMisses, double Instructions, string Source);
