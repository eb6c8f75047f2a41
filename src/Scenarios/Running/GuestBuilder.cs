using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Scenarios.Running;

/// <summary>The guest's <see cref="MemoryConfig"/> from a scenario (the executor builds a <see cref="Guest"/> from it and boots it).</summary>
public static class GuestBuilder
{
    /// <summary>The allocator's configuration for <paramref name="spec"/>.</summary>
    public static MemoryConfig Config(ScenarioSpec spec) =>
        spec.Guest.ToMemoryConfig(KernelProfile.FromName(spec.Kernel) ?? KernelProfile.Mainline, spec.Thp.Enabled != "never");
}
