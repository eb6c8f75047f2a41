using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>How many pages a pcp refill takes and a pcp drain returns: nr_pcp_alloc() and nr_pcp_free().</summary>
public sealed class PcpBatchTests
{
    [Fact]
    public void AnOrderZeroRefillGrowsWithAllocFactorUpToTheRoomBelowHigh__nr_pcp_alloc()
    {
        var a = TestAllocators.SingleZone(pcpHigh: 1000, pcpBatch: 16);
        var pcp = a.Pcp.PcpId(0, 0);

        Assert.Equal(16, a.NrPcpAlloc(pcp, 0));   // batch << 0, alloc_factor becomes 1
        Assert.Equal(32, a.NrPcpAlloc(pcp, 0));   // batch << 1
        Assert.Equal(64, a.NrPcpAlloc(pcp, 0));
    }

    [Fact]
    public void HighOrdersTakeBatchShiftedByOrderButAtLeastTwo__nr_pcp_alloc()
    {
        var a = TestAllocators.SingleZone(pcpHigh: 1000, pcpBatch: 63);
        var pcp = a.Pcp.PcpId(0, 0);

        Assert.Equal(7, a.NrPcpAlloc(pcp, 3));    // 63 >> 3
        Assert.Equal(2, a.NrPcpAlloc(pcp, 9));    // max(63 >> 9, 2): two THPs per refill
    }

    [Fact]
    public void ADisabledPcpTakesOnePageInMainlineButABatchIn61__nr_pcp_alloc()
    {
        var mainline = TestAllocators.SingleZone(pcpHigh: 4, pcpBatch: 8);
        Assert.Equal(1, mainline.NrPcpAlloc(mainline.Pcp.PcpId(0, 0), 0));

        var linux61 = TestAllocators.SingleZone(kernel: KernelProfile.Linux61, pcpHigh: 4, pcpBatch: 8);
        Assert.Equal(8, linux61.NrPcpAlloc(linux61.Pcp.PcpId(0, 0), 0));
    }

    [Fact]
    public void ADrainLeavesAtLeastABatchAndGrowsWithFreeCount__nr_pcp_free()
    {
        var a = TestAllocators.SingleZone(pcpHigh: 200, pcpBatch: 16);
        var pcp = a.Pcp.PcpId(0, 0);

        a.Pcp.FreeCount[pcp] = 5;
        Assert.Equal(16, a.NrPcpFree(pcp, 16, 200, freeHigh: false));    // at least batch
        a.Pcp.FreeCount[pcp] = 100;
        Assert.Equal(100, a.NrPcpFree(pcp, 16, 200, freeHigh: false));   // free_count
        a.Pcp.FreeCount[pcp] = 500;
        Assert.Equal(184, a.NrPcpFree(pcp, 16, 200, freeHigh: false));   // at most high - batch
    }

    [Fact]
    public void ADisabledPcpDrainsOnePage__nr_pcp_free()
    {
        var a = TestAllocators.SingleZone(pcpHigh: 4, pcpBatch: 8);
        Assert.Equal(1, a.NrPcpFree(a.Pcp.PcpId(0, 0), 8, 4, freeHigh: false));
    }

    [Fact]
    public void Linux61DoublesTheDrainOnConsecutiveFrees__nr_pcp_free()
    {
        var a = TestAllocators.SingleZone(kernel: KernelProfile.Linux61, pcpHigh: 1000, pcpBatch: 16);
        var pcp = a.Pcp.PcpId(0, 0);

        Assert.Equal(16, a.NrPcpFree(pcp, 16, 1000, freeHigh: false));
        Assert.Equal(32, a.NrPcpFree(pcp, 16, 1000, freeHigh: false));
        Assert.Equal(64, a.NrPcpFree(pcp, 16, 1000, freeHigh: false));
    }
}
