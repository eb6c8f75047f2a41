using EcsMm.Ecs;
using EcsMm.Mm;

namespace EcsMm.Scenarios.Running;

/// <summary>
/// The Metrics-phase system: records nr_free per order (summed over zones), NR_FREE_PAGES, and the free pages in
/// blocks carrying PG_reported, after every step.
/// </summary>
public sealed class FreeAreaSampler(PageAlloc alloc, Func<string> label) : SystemBase("FreeAreaSampler")
{
    private readonly List<FreeAreaSample> _samples = [];

    public IReadOnlyList<FreeAreaSample> Samples => _samples;

    public override void Update(World world, in SimTime time) => Sample(time.Step, time.NowNs, label());

    public void Sample(long step, long ns, string label)
    {
        var counts = new long[MmConstants.NrPageOrders];
        long free = 0;
        long reported = 0;
        foreach (var z in alloc.Zones)
        {
            free += z.FreePages;
            for (var o = 0; o < counts.Length; o++)
            {
                counts[o] += alloc.FreeBlocks(z.Index, o);
                for (var mt = 0; mt < MigrateTypes.Count; mt++)
                {
                    // At most the list's length: without --validate a planted double free may leave a cycle.
                    var lists = alloc.FreeLists;
                    var list = alloc.FreeListId(z.Index, o, (MigrateType)mt);
                    var left = lists.Length[list];
                    for (var p = lists.Head[list]; p >= 0 && left-- > 0; p = lists.Next(p))
                    {
                        if ((alloc.Map.Flags[p] & PageFlagAccessors.ReportedMask) != 0)
                        {
                            reported += 1L << o;
                        }
                    }
                }
            }
        }

        _samples.Add(new FreeAreaSample(step, ns, label, counts, free, reported));
    }
}
