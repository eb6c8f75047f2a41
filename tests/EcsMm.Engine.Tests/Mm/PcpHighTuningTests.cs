using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Mm.Systems;

namespace EcsMm.Tests.Mm;

/// <summary>
/// Mainline's pcp high auto-tuning: pcp-&gt;high moves between high_min (low watermark) and high_max (managed / 8);
/// refills raise it, a zone below its high watermark lowers it, the vmstat refresh decays it. 6.1 keeps it fixed.
/// </summary>
public sealed class PcpHighTuningTests
{
    private static PageAlloc AutoTuned(KernelProfile? kernel = null, int? batch = 63, int cpus = 1)
    {
        var config = MemoryConfig.SingleZone(64L << 20) with { Kernel = kernel ?? KernelProfile.Mainline, PcpBatch = batch, Cpus = cpus };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config) { Validate = true };
        alloc.Boot();
        return alloc;
    }

    [Fact]
    public void HighMinComesFromTheLowWatermark_HighMaxFromAnEighthOfTheZone__zone_set_pageset_high_and_batch()
    {
        var a = AutoTuned(batch: null);
        var pcp = a.Pcp.PcpId(0, 0);
        var zone = a.Zones[0];
        Assert.Equal(Math.Max(zone.WatermarkPages(Watermark.Low), a.Pcp.Batch[pcp] << 2), a.Pcp.HighMin[pcp]);
        Assert.Equal(zone.ManagedPages / PageAlloc.MinPercpuPagelistHighFraction, a.Pcp.HighMax[pcp]);
        Assert.Equal(a.Pcp.HighMin[pcp], a.Pcp.High[pcp]);

        var linux61 = AutoTuned(KernelProfile.Linux61, batch: null);
        Assert.Equal(linux61.Pcp.HighMin[pcp], linux61.Pcp.HighMax[pcp]);
    }

    [Fact]
    public void HighIsAtLeastFourBatches__zone_highsize()
    {
        Assert.Equal(4 * 63, PageAlloc.ZoneHighSize(totalPages: 100, batch: 63, cpus: 1));
        Assert.Equal(500, PageAlloc.ZoneHighSize(totalPages: 1000, batch: 63, cpus: 2));
    }

    [Fact]
    public void ARefillRaisesHighByTheBatch_UpToHighMax__nr_pcp_alloc()
    {
        var a = AutoTuned();
        var pcp = a.Pcp.PcpId(0, 0);
        var min = a.Pcp.HighMin[pcp];

        Assert.Equal(2, a.NrPcpAlloc(pcp, 9));
        Assert.Equal(min + 63, a.Pcp.High[pcp]);

        a.Pcp.High[pcp] = a.Pcp.HighMax[pcp] - 10;
        a.NrPcpAlloc(pcp, 9);
        Assert.Equal(a.Pcp.HighMax[pcp], a.Pcp.High[pcp]);
    }

    [Fact]
    public void ARefillDoesNotRaiseHigh_WhenTheZoneIsBelowItsHighWatermark_OrIn61__nr_pcp_alloc()
    {
        var a = AutoTuned();
        var pcp = a.Pcp.PcpId(0, 0);
        a.Zones[0].BelowHigh = true;
        a.NrPcpAlloc(pcp, 9);
        Assert.Equal(a.Pcp.HighMin[pcp], a.Pcp.High[pcp]);

        // 6.1 has no raise at all, even with room above high_min.
        var linux61 = AutoTuned(KernelProfile.Linux61);
        linux61.Pcp.HighMax[pcp] = linux61.Pcp.HighMin[pcp] + 1000;
        linux61.NrPcpAlloc(pcp, 9);
        Assert.Equal(linux61.Pcp.HighMin[pcp], linux61.Pcp.High[pcp]);
    }

    [Fact]
    public void AFullListRaisesHighToHoldTheFreedBatch__nr_pcp_high()
    {
        var a = AutoTuned();
        var pcp = a.Pcp.PcpId(0, 0);
        var min = a.Pcp.HighMin[pcp];
        a.Pcp.Count[pcp] = min;
        a.Pcp.FreeCount[pcp] = 1000;

        Assert.Equal(min, a.NrPcpHigh(pcp, 0, batch: 63, freeHigh: false)); // this free still drains at the old high
        Assert.Equal(Math.Max(min, 1000 + 63), a.Pcp.High[pcp]);
    }

    [Fact]
    public void BelowTheHighWatermark_HighShrinksByTheFreeCount_ButKeepsTheCount__nr_pcp_high()
    {
        var a = AutoTuned();
        var pcp = a.Pcp.PcpId(0, 0);
        var min = a.Pcp.HighMin[pcp];
        a.Pcp.High[pcp] = min + 1000;
        a.Pcp.Count[pcp] = min + 900;
        a.Pcp.FreeCount[pcp] = 300;
        a.Zones[0].BelowHigh = true;

        Assert.Equal(min + 900, a.NrPcpHigh(pcp, 0, batch: 63, freeHigh: false));
        Assert.Equal(min + 700, a.Pcp.High[pcp]);
    }

    [Fact]
    public void FreeHighDrainsEverything_AndLowersHighByAScaledBatch__nr_pcp_high()
    {
        var a = AutoTuned();
        var pcp = a.Pcp.PcpId(0, 0);
        var min = a.Pcp.HighMin[pcp];
        a.Pcp.High[pcp] = min + 1500;
        Assert.Equal(0, a.NrPcpHigh(pcp, 0, batch: 8, freeHigh: true));
        Assert.Equal(min + 1500 - (8 << PerCpuPages.BatchScaleMax), a.Pcp.High[pcp]);
    }

    [Fact]
    public void DecayLowersARaisedHighByAnEighth_AndDrainsThePagesAboveIt__decay_pcp_high()
    {
        var a = AutoTuned();
        var pcp = a.Pcp.PcpId(0, 0);
        var min = a.Pcp.HighMin[pcp];
        var raised = min + 1600;

        // Fill the order-9 pcp list up to the raised high with THPs, as frees at a raised high leave them.
        a.Pcp.High[pcp] = raised;
        a.Pcp.HighMax[pcp] = raised;
        var pfns = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            pfns.Add(a.AllocPages(Gfp.HighUserMovable | Gfp.Comp, 9).Pfn);
        }

        foreach (var pfn in pfns)
        {
            a.FreePages(pfn, 9);
        }

        var countBefore = a.Pcp.Count[pcp];
        Assert.True(countBefore > min, $"count {countBefore}, high_min {min}");
        var more = a.DecayPcpHigh(pcp);
        var expectedHigh = Math.Max(Math.Max(countBefore - (63 << PerCpuPages.BatchScaleMax), raised - (raised >> 3)), min);
        Assert.Equal(expectedHigh, a.Pcp.High[pcp]);
        Assert.True(a.Pcp.Count[pcp] <= expectedHigh);
        Assert.True(more);

        // Repeated decays bring high back to high_min and the list under it.
        for (var i = 0; i < 100; i++)
        {
            a.DecayPcpHigh(pcp);
        }

        Assert.Equal(min, a.Pcp.High[pcp]);
        Assert.True(a.Pcp.Count[pcp] <= min);
        Assert.False(a.DecayPcpHigh(pcp));
    }

    [Fact]
    public void The61KernelHasNoPcpDecay__refresh_cpu_vm_stats()
    {
        var a = AutoTuned(KernelProfile.Linux61);
        var pcp = a.Pcp.PcpId(0, 0);
        a.Pcp.High[pcp] = a.Pcp.HighMin[pcp] + 1000;
        a.RefreshPcpHigh();
        Assert.Equal(a.Pcp.HighMin[pcp] + 1000, a.Pcp.High[pcp]);
    }

    [Fact]
    public void AnAllocationBelowTheHighWatermarkSetsZoneBelowHigh__get_page_from_freelist()
    {
        var a = AutoTuned(batch: null); // small refills, so the free count passes the mark gradually
        var zone = a.Zones[0];
        Assert.False(zone.BelowHigh);
        var high = zone.WatermarkPages(Watermark.High);
        long freeAtCall;
        do
        {
            freeAtCall = zone.FreePages;
            Assert.True(a.AllocPages(Gfp.HighUserMovable, 0).Success);
        }
        while (!zone.BelowHigh);

        Assert.True(freeAtCall <= high, $"set with {freeAtCall} free pages, high watermark {high}");
    }

    [Fact]
    public void TheVmstatRefreshRunsTheDecayOncePerElapsedSecond__vmstat_update()
    {
        var a = AutoTuned();
        var pcp = a.Pcp.PcpId(0, 0);
        var min = a.Pcp.HighMin[pcp];
        a.Pcp.High[pcp] = min * 4;
        var world = new World(seed: 1);
        var system = new VmstatRefreshSystem(a);

        system.Update(world, new SimTime(VmstatRefreshSystem.IntervalNs - 1, 0));
        Assert.Equal(min * 4, a.Pcp.High[pcp]);

        system.Update(world, new SimTime(3 * VmstatRefreshSystem.IntervalNs, 1));
        var expected = min * 4;
        for (var i = 0; i < 3; i++)
        {
            expected = Math.Max(expected - (expected >> 3), min);
        }

        Assert.Equal(expected, a.Pcp.High[pcp]);
    }

    [Fact]
    public void In61_HighIsTheLowWatermarkPerCpu_ButAtLeastFourBatches__zone_highsize()
    {
        var few = AutoTuned(KernelProfile.Linux61, cpus: 1);
        var many = AutoTuned(KernelProfile.Linux61, cpus: 64);
        var low = few.Zones[0].WatermarkPages(Watermark.Low);
        Assert.Equal(Math.Max(low, 63 * 4), few.Pcp.High[0]);
        Assert.True(low / 64 < 63 * 4, "with 64 CPUs the per-CPU share of the low watermark is below the floor");
        Assert.Equal(63 * 4, many.Pcp.High[many.Pcp.PcpId(63, 0)]);
        Assert.Equal(many.Pcp.HighMin[0], many.Pcp.HighMax[0]);
    }

    [Fact]
    public void FreesAtAFullListRaiseHigh_ThenDrainTheFreeCount__free_unref_page_commit()
    {
        var a = AutoTuned();
        var pcp = a.Pcp.PcpId(0, 0);
        var min = a.Pcp.HighMin[pcp];
        var pages = new List<int>();
        for (var i = 0; i < 3000; i++)
        {
            pages.Add(a.AllocPages(Gfp.HighUserMovable, 0).Pfn);
        }

        // Allocation refills raised high above high_min (nr_pcp_alloc).
        Assert.True(a.Pcp.High[pcp] > min);
        a.Pcp.High[pcp] = min;
        var drained = a.Stats.PcpDrainedPages;
        foreach (var pfn in pages)
        {
            a.FreePages(pfn, 0);
        }

        // free_count grew with the frees (capped at batch << 5); the full list raised high to free_count + batch and
        // the drains returned free_count pages at a time, leaving at least a batch.
        Assert.Equal(63 << PerCpuPages.BatchScaleMax, a.Pcp.FreeCount[pcp]);
        Assert.Equal(Math.Min(a.Pcp.HighMax[pcp], (63 << PerCpuPages.BatchScaleMax) + 63), a.Pcp.High[pcp]);
        Assert.True(a.Stats.PcpDrainedPages > drained);
        Assert.True(a.Pcp.Count[pcp] < a.Pcp.High[pcp]);
        Assert.True(a.Pcp.Count[pcp] >= 63);
    }

    [Fact]
    public void ADrainThatLeavesTheZoneAboveHighClearsZoneBelowHigh__free_unref_page_commit()
    {
        var a = AutoTuned();
        var zone = a.Zones[0];
        var pages = new List<int>();
        for (var i = 0; i < 1000; i++)
        {
            pages.Add(a.AllocPages(Gfp.HighUserMovable, 0).Pfn);
        }

        // Pretend an allocation saw the zone below its high watermark; the zone is in fact far above it, so the first
        // free that drains the list clears the flag.
        zone.BelowHigh = true;
        var drained = a.Stats.PcpDrainedPages;
        foreach (var pfn in pages)
        {
            a.FreePages(pfn, 0);
            if (a.Stats.PcpDrainedPages > drained)
            {
                break;
            }

            Assert.True(zone.BelowHigh);
        }

        Assert.True(a.Stats.PcpDrainedPages > drained, "no drain happened");
        Assert.False(zone.BelowHigh);
    }

    [Fact]
    public void ADumpedHighKeepsAutoTuningGoingInMainline_AndIsFixedIn61__zone_set_pageset_high_and_batch()
    {
        var mainline = AutoTuned();
        var zone = mainline.Zones[0];
        mainline.RestoreZone(0, zone.PresentPages, zone.ManagedPages, 100, 300, 400);
        mainline.RestorePcpParameters(cpu: 0, zone: 0, high: 1500, batch: 63, freeFactor: 0);
        Assert.Equal(1500, mainline.Pcp.High[0]);
        Assert.Equal(300, mainline.Pcp.HighMin[0]);
        Assert.Equal(zone.ManagedPages / PageAlloc.MinPercpuPagelistHighFraction, mainline.Pcp.HighMax[0]);
        Assert.False(zone.BelowHigh);

        var linux61 = AutoTuned(KernelProfile.Linux61);
        linux61.RestorePcpParameters(cpu: 0, zone: 0, high: 1500, batch: 63, freeFactor: 2);
        Assert.Equal((1500, 1500, 1500, 2), (linux61.Pcp.High[0], linux61.Pcp.HighMin[0], linux61.Pcp.HighMax[0], linux61.Pcp.FreeFactor[0]));
    }
}
