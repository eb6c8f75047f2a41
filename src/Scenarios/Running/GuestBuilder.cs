using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Scenarios.Running;

/// <summary>The guest's <see cref="MemoryConfig"/> from a scenario (the executor builds a <see cref="Guest"/> from it and boots it).</summary>
public static class GuestBuilder
{
    /// <summary>The allocator's configuration for <paramref name="spec"/>.</summary>
    public static MemoryConfig Config(ScenarioSpec spec)
    {
        var g = spec.Guest;
        var config = new MemoryConfig
        {
            GuestBytes = g.MemoryBytes,
            DmaLimitBytes = g.DmaLimitBytes,
            Dma32LimitBytes = g.Dma32LimitBytes,
            Cpus = g.Cpus,
            Kernel = KernelProfile.FromName(spec.Kernel) ?? KernelProfile.Mainline,
            ThpEnabled = spec.Thp.Enabled != "never",
            InitOnAlloc = g.InitOnAlloc,
            InitOnFree = g.InitOnFree,
            SeriesApplied = true,
        };
        if (g.Reserved is { } reserved)
        {
            var ranges = new PfnRange[reserved.Count];
            for (var i = 0; i < ranges.Length; i++)
            {
                ranges[i] = new PfnRange((int)(reserved[i].Start >> MmConstants.PageShift), (int)((reserved[i].Start + reserved[i].Size) >> MmConstants.PageShift));
            }

            config = config with { Reserved = ranges };
        }

        return config;
    }
}
