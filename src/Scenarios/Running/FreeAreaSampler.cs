using EcsMm.Ecs;
using EcsMm.Mm;

namespace EcsMm.Scenarios.Running;

/// <summary>The Metrics-phase system: records nr_free per order (summed over zones) and NR_FREE_PAGES after every step.</summary>
public sealed class FreeAreaSampler(PageAlloc alloc, Func<string> label) : SystemBase("FreeAreaSampler")
{
    private readonly List<FreeAreaSample> _samples = [];

    public IReadOnlyList<FreeAreaSample> Samples => _samples;

    public override void Update(World world, in SimTime time) => Sample(time.Step, time.NowNs, label());

    public void Sample(long step, long ns, string label)
    {
        var counts = new long[MmConstants.NrPageOrders];
        long free = 0;
        foreach (var z in alloc.Zones)
        {
            free += z.FreePages;
            for (var o = 0; o < counts.Length; o++)
            {
                counts[o] += alloc.FreeBlocks(z.Index, o);
            }
        }

        _samples.Add(new FreeAreaSample(step, ns, label, counts, free));
    }
}
