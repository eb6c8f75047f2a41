using EcsMm.Scenarios.Model;

namespace EcsMm.Scenarios.Running;

/// <summary>Runs a loaded scenario in each of its modes and returns what it computed.</summary>
public interface IScenarioExecutor
{
    ScenarioResult Execute(LoadedScenario scenario, RunOptions options, IProgress<RunProgress>? progress = null);
}

/// <summary>Options of one run.</summary>
public sealed record RunOptions
{
    /// <summary>Run the invariant checker after every step and keep bad-page reports.</summary>
    public bool Validate { get; init; }

    /// <summary>Snapshot points in addition to the scenario's own.</summary>
    public IReadOnlyList<string> ExtraSnapshots { get; init; } = [];

    /// <summary>Systems loaded from --plugin assemblies.</summary>
    public IReadOnlyList<PluginSystem> Plugins { get; init; } = [];

    /// <summary>
    /// For a VM scenario whose alloc_once steps do not write: also run it with <c>write: true</c> in both modes, for
    /// the cost report's "a workload that writes its memory" rows (doubles the work; sweeps leave it off).
    /// </summary>
    public bool WriteVariant { get; init; } = true;
}

/// <summary>How far a run is: pipeline steps done out of the total.</summary>
public readonly record struct RunProgress(long Done, long Total);

/// <summary>A system from a plug-in assembly and where it goes in the pipeline.</summary>
public sealed record PluginSystem(string Assembly, Func<Ecs.ISystem> Create, string Phase, string? Before, string? After);
