using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Virt;

namespace EcsMm.Tests.Reporting;

/// <summary>The balloon: fill_balloon / leak_balloon with QEMU's inflate discard, and patch 18's pre-zeroed deflate.</summary>
public sealed class VirtioBalloonTests
{
    [Fact]
    public void InflateDiscardsEachPageOnA4KiBHost__fill_balloon()
    {
        var rig = ReportingRig.Booted(mib: 64);
        var dirty = rig.AllocDirty(0);
        rig.Alloc.FreePages(dirty, 0);
        Assert.Equal(100, rig.Balloon.Inflate(100));
        Assert.Equal(100, rig.Balloon.BalloonPages);
        Assert.Equal(100, rig.Host.Stats.DiscardCalls);
        Assert.True(rig.Memory.Map.ContentIsZero(dirty));
    }

    [Fact]
    public void DeflatedPagesAreFreedPreZeroedWithHostZeroesPages__leak_balloon()
    {
        var rig = ReportingRig.Booted(mib: 64);
        rig.Balloon.Inflate(64);
        Assert.Equal(64, rig.Balloon.Deflate(64));
        Assert.Equal(64, rig.Alloc.Stats.HintedZeroedFrees);
        var r = rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 0);
        Assert.Equal(PageHint.Zeroed, r.Hint);
        Assert.Equal(0, rig.Oracle.Corruptions);
        Assert.Equal(1, rig.Oracle.CorrectSkips);

        var plain = ReportingRig.Booted(mib: 64, hostZeroes: false);
        plain.Balloon.Inflate(64);
        plain.Balloon.Deflate(64);
        Assert.Equal(0, plain.Alloc.Stats.HintedZeroedFrees);
    }

    [Fact]
    public void PartiallyBalloonedHugeHostPageIsNotDiscardedAndItsDeflateHintIsWrong__leak_balloon()
    {
        // With 2 MiB host pages QEMU discards only fully ballooned host pages; patch 18 still marks every deflated
        // page zeroed. Dirty pages come back "zeroed": the oracle sees it.
        var rig = ReportingRig.Booted(mib: 64, host: new HostConfig { HostPageBytes = 2 << 20 });
        var pfns = new List<int>();
        for (var i = 0; i < 16; i++)
        {
            pfns.Add(rig.AllocDirty(0));
        }

        foreach (var p in pfns)
        {
            rig.Alloc.FreePages(p, 0);
        }

        rig.Balloon.Inflate(16);
        Assert.Equal(0, rig.Host.Stats.DiscardCalls);
        rig.Balloon.Deflate(16);
        for (var i = 0; i < 16; i++)
        {
            rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 0);
        }

        Assert.True(rig.Oracle.Corruptions > 0);
    }

    [Fact]
    public void FullyBalloonedHugeHostPageIsDiscarded__fill_balloon()
    {
        var rig = ReportingRig.Booted(mib: 64, host: new HostConfig { HostPageBytes = 2 << 20 });
        rig.Balloon.Inflate(4096);
        Assert.True(rig.Host.Stats.DiscardCalls > 0);
        Assert.Equal(rig.Host.Stats.DiscardCalls, rig.Host.Stats.DiscardedHostPages);
    }

    [Fact]
    public void BalloonSystemMovesTowardTheTarget__update_balloon_size_func()
    {
        var rig = ReportingRig.Booted(mib: 64);
        var world = new World(seed: 1);
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Balloon, new BalloonSystem(rig.Balloon));
        rig.Balloon.TargetPages = 300;
        pipeline.Run(world, steps: 1);
        Assert.Equal(300, rig.Balloon.BalloonPages);
        rig.Balloon.TargetPages = 100;
        pipeline.Run(world, steps: 1);
        Assert.Equal(100, rig.Balloon.BalloonPages);
        Assert.Equal(200, rig.Balloon.Deflated);
    }

    [Fact]
    public void AReportHandsTheBlocksToTheHostWhichDiscardsThem_AndNeverFails__virtballoon_free_page_report()
    {
        var alloc = new PageAlloc(new MemMap(65536), MemoryConfig.SingleZone(256L << 20));
        alloc.Boot();
        var host = new Host(alloc.Map, new HostConfig());
        var balloon = new VirtioBalloon(alloc, host, hostZeroesPages: true);
        ReportedBlock[] blocks = [new(4096, 9), new(8192, 10)];

        Assert.Equal(0, balloon.Report(blocks));
        Assert.Equal(1, balloon.Reports);
        Assert.Equal(2, host.Stats.DiscardCalls);
        Assert.Equal(512 + 1024, host.Stats.DiscardedHostPages);
    }
    [Fact]
    public void BalloonPagesAreOrder0MovableAndNeverZeroedByTheGuest__balloon_page_alloc()
    {
        var rig = ReportingRig.Booted(mib: 64);
        var dirty = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            dirty.Add(rig.AllocDirty(9));
        }

        foreach (var p in dirty)
        {
            rig.Alloc.FreePages(p, 9);
        }

        var success = rig.Alloc.Stats.AllocSuccess;

        Assert.Equal(2048, rig.Balloon.Inflate(2048));

        // One order-0 allocation per page, no __GFP_ZERO: the guest neither zeroes nor skips zeroing; the host's
        // discard is what leaves the memory zero.
        Assert.Equal(success + 2048, rig.Alloc.Stats.AllocSuccess);
        Assert.All(rig.Oracle.PagesZeroed, n => Assert.Equal(0, n));
        Assert.All(rig.Oracle.PagesSkipped, n => Assert.Equal(0, n));
        Assert.All(dirty, p => Assert.True(rig.Memory.Map.ContentIsZero(p)));

        // GFP_HIGHUSER_MOVABLE: a fresh zone's Movable pageblocks serve it without retyping any of them.
        for (var pb = 0; pb < rig.Alloc.Map.PageCount; pb += MmConstants.PageblockNrPages)
        {
            Assert.NotEqual(MigrateType.Unmovable, rig.Alloc.PageblockType(pb));
        }
    }

    [Fact]
    public void AFailedBalloonAllocationEndsTheFillAboveTheMinWatermark_WithoutRetrying__balloon_page_alloc()
    {
        var rig = ReportingRig.Booted(mib: 64);
        var zone = rig.Alloc.Zones[0];
        var min = zone.WatermarkPages(Watermark.Min);
        var high = rig.Alloc.Pcp.State(rig.Alloc.Pcp.PcpId(0, 0)).High;

        var added = rig.Balloon.Inflate(1 << 20);

        // __GFP_NOMEMALLOC | __GFP_NORETRY: no reserves below min, one failure and fill_balloon stops.
        Assert.True(added < rig.Alloc.Map.PageCount);
        Assert.Equal(added, rig.Balloon.BalloonPages);
        Assert.Equal(1, rig.Balloon.InflateFailures);
        Assert.Equal(1, rig.Alloc.Stats.AllocFail);
        Assert.InRange(zone.FreePages, min - high, min);
        Assert.True(zone.FreePages > 0);
    }

    [Fact]
    public void TheBalloonFollowsEachTargetChange_AndAFillShortOfMemoryIsRetriedUntilTheTargetIsMet__virtballoon_changed_update_balloon_size_func()
    {
        var rig = ReportingRig.Booted(mib: 64);
        var world = new World(seed: 1);
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Balloon, new BalloonSystem(rig.Balloon));

        // Memory held elsewhere: the target cannot be met at once.
        var held = new List<int>();
        while (rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.NoWarn, 9) is { Success: true } r)
        {
            held.Add(r.Pfn);
        }

        var target = 4096;
        rig.Balloon.TargetPages = target;
        pipeline.Run(world, steps: 1);
        var first = rig.Balloon.BalloonPages;
        Assert.InRange(first, 0, target - 1);
        Assert.Equal(1, rig.Balloon.InflateFailures);

        // Nothing changed: the next pass tries again (the work requeues while diff != 0) and fails again.
        pipeline.Run(world, steps: 1);
        Assert.Equal(first, rig.Balloon.BalloonPages);
        Assert.Equal(2, rig.Balloon.InflateFailures);

        // Memory comes back: the pending difference is filled without a new target.
        foreach (var p in held)
        {
            rig.Alloc.FreePages(p, 9);
        }

        pipeline.Run(world, steps: 1);
        Assert.Equal(target, rig.Balloon.BalloonPages);
        Assert.Equal(target, rig.Balloon.Inflated);

        // At the target the work does nothing; a lower target deflates exactly the difference.
        pipeline.Run(world, steps: 1);
        Assert.Equal(target, rig.Balloon.Inflated);
        rig.Balloon.TargetPages = 1000;
        pipeline.Run(world, steps: 1);
        Assert.Equal(1000, rig.Balloon.BalloonPages);
        Assert.Equal(target - 1000, rig.Balloon.Deflated);
        Assert.Equal(2, rig.Balloon.InflateFailures);
    }
}
