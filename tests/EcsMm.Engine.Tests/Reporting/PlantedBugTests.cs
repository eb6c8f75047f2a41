using EcsMm.Mm;
using EcsMm.Truth;
using EcsMm.Virt;

namespace EcsMm.Tests.Reporting;

/// <summary>
/// Each planted bug is caught by the <see cref="ZeroingOracle"/>, and the same workload on the correct model shows
/// zero corruptions (and real, correct skips).
/// </summary>
public sealed class PlantedBugTests
{
    private static ReportingRig Reported(PlantedBugs bugs, HostConfig? host = null)
    {
        var rig = ReportingRig.Booted(mib: 256, hostZeroes: true, host: host, bugs: bugs);
        rig.ReportUntilIdle();
        Assert.True(rig.Reporting.Stats.BlocksMarkedZeroed > 0);
        return rig;
    }

    private static void AssertCaught(ReportingRig bad, ReportingRig good, bool goodSkips = true)
    {
        Assert.Equal(0, good.Oracle.Corruptions);
        Assert.Equal(goodSkips, good.Oracle.CorrectSkips > 0);
        Assert.True(bad.Oracle.Corruptions > 0);
        var c = bad.Oracle.Log[0];
        Assert.Equal(ZeroingPath.PostAllocHook, c.Path);
        Assert.True(c.DirtyPages > 0);
        Assert.InRange(c.FirstDirtyPfn, c.Pfn, c.Pfn + (1 << c.Order) - 1);
        Assert.False(bad.Memory.Map.ContentIsZero(c.FirstDirtyPfn));
    }

    private static void MergeScenario(ReportingRig rig)
    {
        // An order-9 block from a reported (zeroed) order-10 block is written and freed: it merges with its
        // zeroed buddy. Then everything is taken with __GFP_ZERO.
        var r = rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 9);
        Assert.Equal(PageHint.Zeroed, r.Hint);
        rig.Memory.Write(r.Pfn, 512);
        rig.Alloc.FreePages(r.Pfn, 9);
        rig.Alloc.DrainAllPages();
        Scenarios.AllocateAllZeroed(rig, 9);
    }

    [Fact]
    public void MergeWithoutTheAndIsCaught()
    {
        var good = Reported(PlantedBugs.None);
        var bad = Reported(PlantedBugs.MergeWithoutAnd);
        MergeScenario(good);
        MergeScenario(bad);
        AssertCaught(bad, good);
    }

    [Fact]
    public void HintNotClearedWhenConsumedIsCaught()
    {
        var good = Reported(PlantedBugs.None);
        var bad = Reported(PlantedBugs.HintNotClearedOnConsume);
        MergeScenario(good);
        MergeScenario(bad);
        AssertCaught(bad, good);
    }

    [Fact]
    public void PagePrivateLeakedToTheFreeListsIsCaught()
    {
        static void Run(ReportingRig rig)
        {
            // A page-cache page (order 0, no zeroing asked) is written, given private data, and released.
            var r = rig.Alloc.AllocPages(Gfp.HighUserMovable, 0);
            rig.Memory.Write(r.Pfn, 1);
            var user = new PageCacheUser(rig.Alloc);
            user.AttachPrivate(r.Pfn);
            Assert.True(user.Release(r.Pfn, 0));
            rig.Alloc.DrainAllPages();
            Scenarios.AllocateAllZeroed(rig, 0);
        }

        var good = Reported(PlantedBugs.None);
        var bad = Reported(PlantedBugs.PagePrivateLeakedToFree);
        Run(good);
        Run(bad);
        AssertCaught(bad, good);
    }

    [Fact]
    public void PagePrivateLeakIsABadPageWithDebugVm__free_pages_prepare()
    {
        var rig = ReportingRig.Booted(mib: 64, bugs: PlantedBugs.PagePrivateLeakedToFree, debugVm: true);
        var r = rig.Alloc.AllocPages(Gfp.HighUserMovable, 0);
        var user = new PageCacheUser(rig.Alloc);
        user.AttachPrivate(r.Pfn);
        Assert.False(user.Release(r.Pfn, 0));
        Assert.Equal(1, rig.Alloc.Stats.BadPages);
    }

    private static void DirtyReportReallocate(ReportingRig rig, int blockOrder)
    {
        Scenarios.DirtyAndFree(rig, blockOrder, everyOther: true);
        rig.ReportUntilIdle();
        Scenarios.AllocateAllZeroed(rig, blockOrder);
    }

    [Fact]
    public void DiscardInhibitedWithHostZeroesPagesIsCaught()
    {
        var good = ReportingRig.Booted(mib: 256);
        var bad = ReportingRig.Booted(mib: 256, bugs: PlantedBugs.DiscardInhibitedWithHostZeroes);
        DirtyReportReallocate(good, 9);
        DirtyReportReallocate(bad, 9);
        Assert.True(bad.Host.Stats.SkippedInhibitedOrPoison > 0);
        Assert.Equal(0, bad.Host.Stats.DiscardCalls);
        AssertCaught(bad, good);
    }

    [Fact]
    public void PoisonValueSetIsCaught()
    {
        var good = ReportingRig.Booted(mib: 256);
        var bad = ReportingRig.Booted(mib: 256, bugs: PlantedBugs.PoisonValueSet);
        DirtyReportReallocate(good, 9);
        DirtyReportReallocate(bad, 9);
        Assert.Equal(0xaau, bad.Host.Config.PoisonValue);
        Assert.True(bad.Host.Stats.SkippedInhibitedOrPoison > 0);
        AssertCaught(bad, good);
    }

    [Fact]
    public void BlockSmallerThanTheHostPageIsCaught()
    {
        var huge = new HostConfig { HostPageBytes = 2 << 20 };
        var good = ReportingRig.Booted(mib: 256, host: huge);
        var bad = ReportingRig.Booted(mib: 256, host: huge, bugs: PlantedBugs.BlockSmallerThanHostPage);
        Assert.Equal(9, good.Reporting.ReportingOrder);
        Assert.Equal(8, bad.Reporting.ReportingOrder);
        DirtyReportReallocate(good, 8);
        DirtyReportReallocate(bad, 8);
        Assert.True(bad.Host.Stats.SkippedUnaligned > 0);

        // The correct model does not report the order-8 blocks at all, so it has nothing to skip.
        Assert.Equal(0, good.Reporting.Stats.BlocksReported[8]);
        AssertCaught(bad, good, goodSkips: false);
    }

    [Fact]
    public void ValidateModeStopsAtTheFirstCorruptionWithExitCodeOne()
    {
        var bad = ReportingRig.Booted(mib: 256, bugs: PlantedBugs.DiscardInhibitedWithHostZeroes);
        bad.Oracle.Validate = true;
        Scenarios.DirtyAndFree(bad, 9, everyOther: true);
        bad.ReportUntilIdle();
        var e = Assert.Throws<DataCorruptionException>(() => Scenarios.AllocateAllZeroed(bad, 9));
        Assert.Equal(1, DataCorruptionException.ExitCode);
        Assert.Equal(9, e.Corruption.Order);
        Assert.Equal(1, bad.Oracle.Corruptions);
        Assert.Contains("post_alloc_hook", e.Message);
        Assert.Contains($"0x{e.Corruption.Pfn:x}", e.Message);
    }
}
