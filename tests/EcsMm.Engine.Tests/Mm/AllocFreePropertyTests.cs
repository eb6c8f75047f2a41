using CsCheck;
using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Tests.Mm;

/// <summary>
/// Random alloc/free sequences against an obviously correct model of the free-page set (a bool per page), with
/// the invariant checker on after every sequence.
/// </summary>
public sealed class AllocFreePropertyTests
{
    private static readonly Gen<(bool Alloc, int Order, int Pick, int Kind)[]> Ops =
        Gen.Select(Gen.Bool, Gen.Int[0, 10], Gen.Int[0, int.MaxValue], Gen.Int[0, 2]).Array[1, 300];

    [Fact]
    public void AllocatedBlocksNeverOverlapAndFreeingEverythingRestoresTheBootState()
    {
        Ops.Sample(ops => RunAndCheck(ops, KernelProfile.Mainline), iter: 60, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void TheLinux61ProfileKeepsTheSameInvariants()
    {
        Ops.Sample(ops => RunAndCheck(ops, KernelProfile.Linux61), iter: 40, seed: "0N0XIzNsQ0O2");
    }

    private static void RunAndCheck((bool Alloc, int Order, int Pick, int Kind)[] ops, KernelProfile kernel)
    {
        var a = TestAllocators.SingleZone(mib: 16, kernel: kernel, pcpHigh: 32, pcpBatch: 4);
        var bootInfo = TestAllocators.BuddyInfo(a);
        var owned = new bool[a.Map.PageCount];   // the model: pages handed out and not yet freed
        var live = new List<(int Pfn, int Order)>();
        Gfp[] kinds = [Gfp.HighUserMovable, Gfp.Kernel, Gfp.Kernel | Gfp.Reclaimable];

        foreach (var (alloc, order, pick, kind) in ops)
        {
            if (alloc || live.Count == 0)
            {
                var r = a.AllocPages(kinds[kind], order);
                if (!r.Success)
                {
                    continue;
                }

                for (var p = r.Pfn; p < r.Pfn + (1 << order); p++)
                {
                    Assert.False(owned[p], $"page {p:x} handed out twice");
                    owned[p] = true;
                }

                live.Add((r.Pfn, order));
            }
            else
            {
                var i = pick % live.Count;
                var (pfn, o) = live[i];
                live[i] = live[^1];
                live.RemoveAt(live.Count - 1);
                Assert.True(a.FreePages(pfn, o));
                Array.Fill(owned, false, pfn, 1 << o);
            }
        }

        Assert.Empty(new InvariantChecker(a).Check());

        // Free pages (buddy + pcp) are exactly the pages the model does not own.
        long free = a.Zones[0].FreePages + a.Pcp.ZoneCount(0);
        Assert.Equal(owned.Length - owned.Count(o => o), free);

        foreach (var (pfn, o) in live)
        {
            a.FreePages(pfn, o);
        }

        a.DrainAllPages();
        Assert.Empty(new InvariantChecker(a).Check());
        // Unmovable, Movable and Reclaimable pageblocks are all mergeable, so everything merges back.
        Assert.Equal(bootInfo, TestAllocators.BuddyInfo(a));
    }
}
