using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Truth;
using EcsMm.Virt;
using Xunit.Abstractions;

namespace EcsMm.Tests.Reporting;

/// <summary>
/// The figure for an idle 2 GiB guest (model only): from page_reporting_register to the pass that leaves the
/// device idle, how many passes, report calls and blocks, and how long.
/// </summary>
public sealed class IdleGuestFigureTests
{
    private readonly ITestOutputHelper _output;

    public IdleGuestFigureTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Idle2GiBGuestReportsEveryFreeBlockAtOrAbovePageblockOrder()
    {
        var config = new MemoryConfig { GuestBytes = 2L << 30 };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config);
        alloc.Boot();
        var clock = new SimClock();
        var host = new Host(alloc.Map, new HostConfig());
        var balloon = new VirtioBalloon(alloc, host, hostZeroesPages: true);
        var reporting = new PageReporting(alloc, clock, balloon);
        var dma32 = Array.FindIndex(alloc.Zones, z => z.Type == ZoneType.Dma32);
        var freeBlocks = alloc.FreeBlocks(dma32, 9) + alloc.FreeBlocks(dma32, 10);

        while (reporting.WorkDueAtNs is { } due)
        {
            reporting.RunUntil(due);
        }

        var s = reporting.Stats;
        var last = s.PassLog[^1].StartNs;
        _output.WriteLine($"idle 2 GiB guest: {freeBlocks} free blocks of order 9-10 in DMA32 " +
            $"({alloc.FreeBlocks(dma32, 9)} x order 9, {alloc.FreeBlocks(dma32, 10)} x order 10)");
        _output.WriteLine($"reported {s.BlocksReported[9]} x order 9 + {s.BlocksReported[10]} x order 10 = {s.PagesReported} pages " +
            $"in {s.Passes} passes, {s.ReportCalls} report calls; last pass at {last / 1e9:F0} s after registration");
        _output.WriteLine("calls per pass: " + string.Join(" ", s.PassLog.Select(p => p.ReportCalls)));

        // Everything at or above page_reporting_order in DMA32 is reported; DMA (16 MiB) never passes the zone gate.
        Assert.Equal(freeBlocks, s.BlocksReported[9] + s.BlocksReported[10]);
        Assert.Equal(s.Passes, s.ZonesSkipped);
        Assert.Equal(PageReportingState.Idle, reporting.State);

        // The budget rule: DIV_ROUND_UP(nr_free, 512) + 1 calls of 32 per list, so ceil(blocks / 64) passes for an
        // order-10 list under 512 blocks, 2 s apart, the first 2 s after registration.
        var perPass = 32 * ((alloc.FreeBlocks(dma32, 10) + 511) / 512 + 1);
        Assert.Equal((freeBlocks + perPass - 1) / perPass, s.Passes);
        for (var i = 0; i < s.PassLog.Count; i++)
        {
            Assert.Equal((i + 1) * PageReporting.DefaultDelayNs, s.PassLog[i].StartNs);
        }

        // The host discarded all of it, and the guest has PG_zeroed on every reported block.
        Assert.Equal(s.PagesReported, host.Stats.DiscardedHostPages);
        Assert.Equal(s.PagesReported, s.PagesReportedAtOrder(9) + s.PagesReportedAtOrder(10));
        Assert.Equal(freeBlocks, s.BlocksMarkedZeroed);
    }
}
