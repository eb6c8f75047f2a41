using EcsMm.Bench;
using EcsMm.Scenarios.Model;

namespace EcsMm.Scenarios.Tests;

/// <summary>A VM scenario's guest and reporting keys reach the VM model (none is parsed and then ignored).</summary>
public sealed class VmScenarioKeysTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SeedGuest Guest(string guestAndReporting)
    {
        var text = $"name: k\n{guestAndReporting}\nballoon: {{host_zeroes_pages: 1}}\niteration:\n  - flush: {{pages: 512}}\n  - alloc_once: {{size: 16M}}\n";
        var spec = SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Parse(text, "k.yaml").Spec);
        return new SeedGuest(spec, 1, hostZeroesPages: true);
    }

    [Fact]
    public void GuestKeys_CpusZonesInitOnAllocAndThePcpHighFraction_ReachTheAllocator()
    {
        var g = Guest("guest: {memory: 512M, cpus: 2, zones: {dma: 0, dma32: 4G}, init_on_alloc: true, percpu_pagelist_high_fraction: 8}");
        var alloc = g.Guest.Alloc;
        Assert.Equal(2, alloc.Pcp.Cpus);
        Assert.True(alloc.Config.InitOnAlloc);
        Assert.DoesNotContain(alloc.Zones, z => z.Type == Mm.ZoneType.Dma);
        var pcp = alloc.Pcp.PcpId(1, 0);
        Assert.Equal(alloc.Pcp.HighMin[pcp], alloc.Pcp.HighMax[pcp]);
        Assert.Equal(Mm.PageAlloc.ZoneHighSize(alloc.Zones[0].ManagedPages / 8, alloc.Pcp.Batch[pcp], 2), alloc.Pcp.High[pcp]);
    }

    [Fact]
    public void ReportingKeys_OrderCapacityAndDelay_ReachThePageReportingDevice()
    {
        var g = Guest("guest: {memory: 512M}\nreporting: {order: 10, capacity: 8, delay_seconds: 0.5}");
        Assert.Equal(10, g.Reporting.ReportingOrder);
        Assert.Equal(8, g.Reporting.Capacity);
        Assert.Equal(500_000_000, g.Reporting.DelayNs);
        Assert.True(g.Reporting.Registered);
    }

    [Fact]
    public void ReportingDisabled_NoDeviceIsRegistered_FlushesReportNothing_AndNothingIsHinted()
    {
        var path = _dir.File("off.yaml", "name: off\nguest: {memory: 512M}\nreporting: {enabled: false}\nballoon: {host_zeroes_pages: 1}\niterations: 2\niteration:\n  - flush: {pages: 512}\n  - alloc_once: {size: 64M}\n");
        var spec = SeedBenchmarkSpecs.FromScenario(ScenarioLoader.Load(path).Spec);
        var r = SeedBenchmark.RunMode(spec, 1, hostZeroesPages: true);
        Assert.All(r.Iterations, m => Assert.Equal(0, m.PagesReportedByFlush));
        Assert.Equal(0, r.Total.Hinted.Sum());
        Assert.Equal(0, r.Total.FromReported.Sum());
    }

    [Fact]
    public void APcpHighFractionBelowEightIsRefusedAsTheKernelDoes__percpu_pagelist_high_fraction_sysctl_handler()
    {
        var path = _dir.File("f.yaml", "name: f\nguest:\n  memory: 512M\n  percpu_pagelist_high_fraction: 5\n");
        Cli.Run("run", path, "--quiet").AssertUserError("f.yaml:4", "guest.percpu_pagelist_high_fraction", "at least 8");
    }
}
