namespace EcsMm.Scenario;

/// <summary>
/// A system that contributes named numbers to a run's results (the console table, JSON and CSV). The runner reads
/// them once, at the end of each mode.
/// </summary>
public interface IReportsMetrics
{
    /// <summary>Name and value pairs; names use snake_case and are unique within the system.</summary>
    IEnumerable<KeyValuePair<string, double>> Metrics();
}
