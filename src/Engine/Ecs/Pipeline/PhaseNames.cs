namespace EcsMm.Ecs;

/// <summary>
/// The names of the default phases, in the order one step runs them. Phases are data (strings in the
/// <see cref="Pipeline"/>'s list), so a scenario can add its own after any of these.
/// </summary>
public static class PhaseNames
{
    public const string Workload = "Workload";
    public const string Faults = "Faults";
    public const string Allocation = "Allocation";
    public const string Zeroing = "Zeroing";
    public const string Frees = "Frees";
    public const string PcpDrain = "PcpDrain";
    public const string Reporting = "Reporting";
    public const string Host = "Host";
    public const string Balloon = "Balloon";
    public const string Validate = "Validate";
    public const string Metrics = "Metrics";

    /// <summary>The default order: workload, faults, allocation, zeroing, frees, pcp drain, free page reporting, host, balloon, validation, metrics.</summary>
    public static IReadOnlyList<string> Default { get; } =
        [Workload, Faults, Allocation, Zeroing, Frees, PcpDrain, Reporting, Host, Balloon, Validate, Metrics];
}
