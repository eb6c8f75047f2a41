using EcsMm.Scenarios.Model;

namespace EcsMm.Scenarios.Running;

/// <summary>Warnings about a scenario that runs, but not the way its file may suggest.</summary>
public static class ScenarioWarnings
{
    /// <summary>
    /// The keys only the VM model uses, set in a scenario that runs on the allocator alone (no alloc_once, flush,
    /// drop_caches or background step); null when there are none.
    /// </summary>
    public static string? UnusedVmKeys(LoadedScenario loaded) =>
        !PipelineExecutor.NeedsVm(loaded.Spec) && loaded.Spec.VmKeysSet.Count > 0
            ? $"ecsmm: warning: {loaded.Source}: {string.Join(", ", loaded.Spec.VmKeysSet)}: not used — without an alloc_once, flush, drop_caches or background step the scenario runs on the allocator alone"
            : null;
}
