using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Samples.CustomSystem;

/// <summary>
/// A user system: after every step it finds the highest order with a free block in any zone (what a THP or
/// order-9 allocation needs) and keeps the lowest value seen and how many steps had no free order-9 block.
/// Added from C# (see <see cref="Program"/>) or from the command line with
/// <c>ecsmm run allocator-churn --plugin EcsMm.Samples.CustomSystem.dll</c>; the attribute puts it in the Metrics
/// phase after the runner's sampler.
/// </summary>
[EcsMmSystem(Phase = PhaseNames.Metrics, After = "FreeAreaSampler")]
public sealed class HighestFreeOrderProbe : SystemBase, IReportsMetrics
{
    private int _lowest = int.MaxValue;
    private long _steps;
    private long _stepsWithoutPageblock;

    public HighestFreeOrderProbe()
        : base("HighestFreeOrderProbe")
    {
    }

    public override void Update(World world, in SimTime time)
    {
        var alloc = world.Resource<PageAlloc>();
        var highest = -1;
        foreach (var zone in alloc.Zones)
        {
            for (var order = MmConstants.MaxPageOrder; order > highest; order--)
            {
                if (alloc.FreeBlocks(zone.Index, order) > 0)
                {
                    highest = order;
                    break;
                }
            }
        }

        _lowest = Math.Min(_lowest, highest);
        _steps++;
        if (highest < MmConstants.PageblockOrder)
        {
            _stepsWithoutPageblock++;
        }
    }

    public IEnumerable<KeyValuePair<string, double>> Metrics()
    {
        yield return new("lowest_highest_free_order", _steps == 0 ? -1 : _lowest);
        yield return new("steps_observed", _steps);
        yield return new("steps_without_free_pageblock", _stepsWithoutPageblock);
    }
}
