namespace EcsMm.Scenario;

/// <summary>
/// Marks a system class for the runner's <c>--plugin</c> loader: which phase it joins and, optionally, the system it
/// runs before or after. A class implementing <see cref="Ecs.ISystem"/> without this attribute joins the Metrics phase.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EcsMmSystemAttribute : Attribute
{
    /// <summary>The phase name (see <see cref="Ecs.PhaseNames"/>); a name that is not a default phase is added after Metrics.</summary>
    public string Phase { get; set; } = Ecs.PhaseNames.Metrics;

    /// <summary>Run before this system of the same phase.</summary>
    public string? Before { get; set; }

    /// <summary>Run after this system of the same phase.</summary>
    public string? After { get; set; }
}
