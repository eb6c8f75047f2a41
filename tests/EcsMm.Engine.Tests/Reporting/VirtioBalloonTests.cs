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
}
