using EcsMm.Mm;
using EcsMm.Scenario;
using EcsMm.Truth;

namespace EcsMm.Bench;

/// <summary>Builds the seed benchmark's parameters from a scenario file's spec.</summary>
public static class SeedBenchmarkSpecs
{
    /// <summary>
    /// The benchmark a scenario describes: the guest (size, CPUs, zones, reserved ranges, init_on_*, pcp high
    /// fraction), kernel, THP, hugetlb, reporting (enabled, order, capacity, delay, flush budget and its unit), host
    /// page size, and the alloc_once size and kind of its first alloc_once step. A host with discard inhibited or a
    /// poison value is a host property here (the oracle then shows what the hint costs on such a host).
    /// </summary>
    public static SeedBenchmarkSpec FromScenario(ScenarioSpec spec)
    {
        var allocOnce = spec.Iteration.Concat(spec.Setup).OfType<AllocOnceStep>().FirstOrDefault();
        var flush = spec.Iteration.Concat(spec.Setup).OfType<FlushStep>().FirstOrDefault();
        var mthp = 0;
        foreach (var o in spec.Thp.MthpOrders)
        {
            mthp |= 1 << o;
        }

        var bugs = PlantedBugs.None;
        if (spec.Host.DiscardInhibited)
        {
            bugs |= PlantedBugs.DiscardInhibitedWithHostZeroes;
        }

        if (spec.Host.Poison)
        {
            bugs |= PlantedBugs.PoisonValueSet;
        }

        return new SeedBenchmarkSpec
        {
            Name = spec.Name,
            GuestMiB = (int)(spec.Guest.MemoryBytes >> 20),
            SizeMiB = allocOnce is null ? 0 : (int)(allocOnce.SizeBytes >> 20),
            Iterations = spec.Iterations,
            Hugetlb = allocOnce?.Huge == AllocHuge.Hugetlb,
            WriteAfterPopulate = allocOnce?.Write ?? false,
            NrHugepages = (int)spec.Hugetlb.NrHugepages,
            Thp = ThpModes.FromName(spec.Thp.Enabled),
            Defrag = spec.Thp.Defrag switch
            {
                "always" => ThpDefrag.Always,
                "defer" => ThpDefrag.Defer,
                "defer+madvise" => ThpDefrag.DeferMadvise,
                "never" => ThpDefrag.Never,
                _ => ThpDefrag.Madvise,
            },
            MthpOrders = mthp,
            Kernel = spec.Kernel,
            FlushBudget = (int)Math.Min(int.MaxValue, flush?.Pages ?? spec.Reporting.FlushBudgetPages),
            NrOvercommitHugepages = (int)spec.Hugetlb.NrOvercommitHugepages,
            FlushBudgetUnit = spec.Reporting.FlushBudgetUnit,
            HostPageBytes = (int)spec.Host.PageSizeBytes,
            Bugs = bugs,
            GuestConfig = spec.Guest.ToMemoryConfig(KernelProfile.FromName(spec.Kernel) ?? KernelProfile.Mainline, spec.Thp.Enabled != "never"),
            ReportingEnabled = spec.Reporting.Enabled,
            WarmupSteps = Steps(spec.Bench.WarmupSeconds),
            StepsBetweenIterations = Steps(spec.Bench.GapSeconds),
            BalloonLoadedAtBoot = spec.Bench.BalloonLoadedAtBoot,
            AfterBaseline = spec.Bench.AfterBaseline,
            DeviceInitReported = spec.Balloon.DeviceInitReported,
            ReportingOrder = spec.Reporting.Order,
            ReportingCapacity = spec.Reporting.Capacity,
            ReportingDelayNs = (long)Math.Round(spec.Reporting.DelaySeconds * 1e9),
        };
    }

    /// <summary>Whole pipeline steps of <see cref="SeedBenchmarkSpec.StepNs"/> (10 ms) in <paramref name="seconds"/>.</summary>
    private static int Steps(double seconds) => (int)Math.Round(seconds * 1e9 / new SeedBenchmarkSpec().StepNs);
}
