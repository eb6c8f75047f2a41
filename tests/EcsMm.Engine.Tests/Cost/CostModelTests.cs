using EcsMm.Bench;
using EcsMm.Cost;
using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Tests.Cost;

/// <summary>What the cost model charges for counted work, on hand-made metrics.</summary>
public sealed class CostModelTests
{
    private static readonly CostModel Model = new(CostProfile.Default);

    private static double V(string name) => CostProfile.Default.Value(name);

    [Fact]
    public void GuestZeroing_IsBytesOverBandwidth_PerChunkSizeOfThePath__clear_page_folio_zero_user()
    {
        var m = new SeedIterationMetrics();
        m.PagesZeroed[(int)ZeroingPath.PostAllocHook] = 1;
        m.PagesZeroed[(int)ZeroingPath.FolioZeroUser] = 512;
        var expected = (4096 * 1e9 / V(CostProfile.ZeroBw4K)) + ((2 << 20) * 1e9 / V(CostProfile.ZeroBw2M));
        Assert.Equal(expected, Model.GuestZeroNs(m), 6);
        Assert.Equal(513 * 4096 * V(CostProfile.CacheMissesPerZeroedByte), Model.CacheMisses(m), 6);
    }

    [Fact]
    public void HostPopulate_IsOneOverheadPlusTheHostPagesZeroFill()
    {
        var overhead = V(CostProfile.HostPopulateOverheadNs);
        Assert.Equal(overhead + (4096 * 1e9 / V(CostProfile.HostZeroBw4K)), Model.PopulateNs(4096), 6);
        Assert.Equal(overhead + ((2 << 20) * 1e9 / V(CostProfile.HostZeroBw2M)), Model.PopulateNs(2 << 20), 6);
    }

    [Fact]
    public void HostWork_AddsTaskClockButNoGuestCacheMissesOrInstructions()
    {
        var m = new SeedIterationMetrics { HostPopulates = 1000 };
        var e = Model.Estimate(m, 4096);
        Assert.Equal(1000 * Model.PopulateNs(4096), e.HostPopulateNs, 6);
        Assert.Equal(0, e.CacheMisses);
        Assert.Equal(V(CostProfile.FixedInstructionsPerRun), e.Instructions);
    }

    [Fact]
    public void FaultPath_ChargesHandlerAndAllocationByKind__do_huge_pmd_anonymous_page()
    {
        var m = new SeedIterationMetrics { ThpFromPcp = 1, ThpFromBuddy = 1 };
        m.Faults[(int)FaultKind.Thp] = 2;
        m.Faults[(int)FaultKind.Order0] = 3;
        m.Faults[(int)FaultKind.Hugetlb] = 1;
        var h = V(CostProfile.FaultHandlerNs);
        var expected = (6 * h) + (3 * V(CostProfile.AllocPcpNs)) + V(CostProfile.AllocPcpNs) + (2 * V(CostProfile.AllocOrder9BuddyNs));
        Assert.Equal(expected, Model.FaultNs(m), 6);
        Assert.Equal(V(CostProfile.FixedInstructionsPerRun) + (6 * V(CostProfile.FaultHandlerInstructions)), Model.Instructions(m), 6);
    }

    [Fact]
    public void OwedPopulates_AreDeferred_NotTaskClock_UnlessTheWorkloadWrote()
    {
        var owed = new SeedIterationMetrics { HostPagesOwed = 100, HostRefaultsOwed = 60 };
        var e = Model.Estimate(owed, 4096);
        Assert.Equal(100, e.DeferredHostPages);
        Assert.Equal(60, e.DeferredRefaults);
        Assert.Equal(100 * Model.PopulateNs(4096), e.DeferredNs, 6);
        Assert.Equal(0, e.HostPopulateNs);

        var written = new SeedIterationMetrics { HostPagesOwed = 100, HostRefaultsOwed = 60, HostPopulatesAtWrite = 100, HostPopulates = 100, PagesWrittenByWorkload = 200 };
        var w = Model.Estimate(written, 4096);
        Assert.Equal(0, w.DeferredHostPages);
        Assert.Equal(100 * Model.PopulateNs(4096), w.HostPopulateNs, 6);
        Assert.Equal(200 * 4096 * 1e9 / V(CostProfile.ZeroBw4K), w.WriteNs, 6);
    }

    [Fact]
    public void ReportingAndBalloon_ChargePerCallPerBlockAndPerPage__page_reporting_cycle_virtballoon_free_page_report()
    {
        Assert.Equal((2 * V(CostProfile.ReportCallNs)) + (40 * V(CostProfile.HostDiscardNsPerBlock)), Model.ReportingNs(2, 40), 6);
        Assert.Equal(1000 * V(CostProfile.BalloonInflateNsPerPage), Model.BalloonInflateNs(1000), 6);
    }

    [Fact]
    public void MeanStd_IsTheSampleStandardDeviation()
    {
        var s = MeanStd.Of([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        Assert.Equal(5.0, s.Mean, 9);
        Assert.Equal(Math.Sqrt(32.0 / 7), s.StdDev, 9);
    }

    [Theory]
    [InlineData(1_100_000, "1.10M")]
    [InlineData(269_000, "269K")]
    [InlineData(12, "12")]
    public void Counts_PrintAsPerfStatDoes(double v, string text) => Assert.Equal(text, CostReport.Count(v));
}
