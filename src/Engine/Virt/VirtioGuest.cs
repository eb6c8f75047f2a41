using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Mm.Systems;
using EcsMm.Truth;

namespace EcsMm.Virt;

/// <summary>
/// What <see cref="GuestVirtio.AttachVirtioBalloon"/> adds to a <see cref="Guest"/>: the host, the virtio-balloon
/// device with free page reporting on the world's clock, the guest-write API and the zeroing oracle.
/// </summary>
public sealed record VirtioGuest(Host Host, VirtioBalloon Balloon, PageReporting Reporting, GuestMemory Memory, ZeroingOracle Oracle);

/// <summary>Composition of a guest with its virtio-balloon device and host (virtballoon_probe → page_reporting_register).</summary>
public static class GuestVirtio
{
    /// <summary>
    /// Probe a virtio-balloon with VIRTIO_BALLOON_F_REPORTING: create the host with <paramref name="host"/>, the
    /// device with the host_zeroes_pages parameter, register free page reporting (the first pass 2 s from now on
    /// the world's clock), install the oracle as post_alloc_hook's zeroing observer, and add the Reporting and
    /// Balloon phase systems. Planted bugs in the guest's <see cref="MemoryConfig.Bugs"/> apply to the host too.
    /// </summary>
    public static VirtioGuest AttachVirtioBalloon(this Guest guest, HostConfig? host = null, bool hostZeroesPages = false, int? reportingOrder = null)
    {
        var h = new Host(guest.Map, (host ?? new HostConfig()).WithBugs(guest.Config.Bugs));
        var balloon = new VirtioBalloon(guest.Alloc, h, hostZeroesPages);
        var reporting = new PageReporting(guest.Alloc, guest.World.Clock, balloon, ReportingOrder(guest.Config.Bugs, h, reportingOrder));
        var memory = new GuestMemory(guest.Map, h);
        var clock = guest.World.Clock;
        var oracle = new ZeroingOracle(memory, () => clock.NowNs) { Validate = guest.Alloc.Validate };
        guest.Alloc.AllocZeroingHook = oracle;
        guest.Pipeline.Add(PhaseNames.Reporting, new PageReportingSystem(reporting));
        guest.Pipeline.Add(PhaseNames.Balloon, new BalloonSystem(balloon));
        var v = new VirtioGuest(h, balloon, reporting, memory, oracle);
        guest.World.SetResource(v);
        return v;
    }

    /// <summary>
    /// The page_reporting_order to register with: <paramref name="requested"/>, unless the planted bug
    /// <see cref="PlantedBugs.BlockSmallerThanHostPage"/> asks for blocks below the host page size (then one order
    /// under it) — every composition of a reporting device goes through here.
    /// </summary>
    public static int? ReportingOrder(PlantedBugs bugs, Host host, int? requested) =>
        requested is null && (bugs & PlantedBugs.BlockSmallerThanHostPage) != 0 && host.HostPageOrder > 0
            ? host.HostPageOrder - 1
            : requested;
}
