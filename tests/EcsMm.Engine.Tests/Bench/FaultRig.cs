using EcsMm.Bench;
using EcsMm.Mm;
using EcsMm.Workloads;

namespace EcsMm.Tests.Bench;

/// <summary>A small seed guest without background activity, for the fault-path rule tests.</summary>
internal static class FaultRig
{
    public static SeedGuest Small(bool hostZeroes = true, ThpEnabled thp = ThpEnabled.Always, MappingPlacement? placement = null,
        int mthp = 0, string kernel = "mainline", int guestMiB = 256)
    {
        var spec = new SeedBenchmarkSpec
        {
            GuestMiB = guestMiB,
            SizeMiB = 16,
            Thp = thp,
            MthpOrders = mthp,
            Placement = placement,
            Kernel = kernel,
            Background = BackgroundWorkloadSpec.None,
            BalloonLoadedAtBoot = false,
            WarmupSteps = 0,
        };
        return new SeedGuest(spec, 1, hostZeroes);
    }
}
