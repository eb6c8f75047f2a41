using EcsMm.Mm;
using EcsMm.Mm.Systems;

namespace EcsMm.Tests.Mm;

/// <summary>The allocator's systems in the pipeline: requests served in the Allocation phase, frees in the Frees phase.</summary>
public sealed class AllocatorSystemsTests
{
    private static Guest NewGuest(bool validate = true) =>
        new Guest(MemoryConfig.SingleZone(16 << 20) with { PcpHigh = 64, PcpBatch = 8 }, seed: 1, validate).Boot();

    [Fact]
    public void AllocationPhaseServesPendingRequestsInOrder()
    {
        var g = NewGuest();
        var a = g.AllocRequests.Add(Gfp.HighUserMovable, 0, tag: 10);
        var b = g.AllocRequests.Add(Gfp.TransHugeLight, 9, tag: 11);
        var c = g.AllocRequests.Add(Gfp.Kernel, 0, tag: 12);

        g.Step();

        var t = g.AllocRequests.Table;
        Assert.Equal((byte)RequestStatus.Served, t.Get(g.AllocRequests.Status, a));
        Assert.Equal((byte)RequestStatus.Served, t.Get(g.AllocRequests.Status, b));
        Assert.Equal((byte)RequestStatus.Served, t.Get(g.AllocRequests.Status, c));
        Assert.Equal(0, t.Get(g.AllocRequests.Pfn, b) % 512);
        Assert.Equal(11, t.Get(g.AllocRequests.Tag, b));
        Assert.Equal(1, g.Pipeline.System("AllocPages").Calls);
    }

    [Fact]
    public void AFailedRequestIsAStatusNotAnException()
    {
        var g = NewGuest();
        var reqs = new List<EcsMm.Ecs.Entity>();
        for (var i = 0; i < 10; i++)
        {
            reqs.Add(g.AllocRequests.Add(Gfp.TransHugeLight, 10, tag: i));
        }

        g.Step();

        var failed = reqs.Count(e => g.AllocRequests.Table.Get(g.AllocRequests.Status, e) == (byte)RequestStatus.Failed);
        Assert.True(failed > 0);
        Assert.Equal(failed, g.Alloc.Stats.AllocFail);
    }

    [Fact]
    public void FreesPhaseReturnsBlocksAndClearsTheRequests()
    {
        var g = NewGuest();
        var e = g.AllocRequests.Add(Gfp.HighUserMovable, 3, tag: 0);
        g.Step();
        var pfn = g.AllocRequests.Table.Get(g.AllocRequests.Pfn, e);
        g.AllocRequests.Table.Clear();

        g.FreeRequests.Add(pfn, 3);
        g.Step();

        Assert.Equal(0, g.FreeRequests.Table.Count);
        Assert.Equal(8, g.Alloc.Stats.PgFree);
        Assert.Equal(PageType.Pcp, g.Map.GetPageType(pfn));
    }

    [Fact]
    public void TheValidatePhaseStopsTheRunAtABrokenInvariant()
    {
        var g = NewGuest(validate: true);
        g.Alloc.NrFree[3]++;

        var ex = Assert.Throws<InvariantViolationException>(g.Step);
        Assert.Contains("nr_free", ex.Message);
    }
}
