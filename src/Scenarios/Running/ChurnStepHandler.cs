using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Scenarios.Running;

/// <summary>
/// Executes <see cref="ChurnStep"/>: seeded random __alloc_pages / __free_pages calls on the buddy allocator. Each
/// operation frees a random live block when the live limit would be passed or, otherwise, with probability ½ when
/// blocks are live; else it allocates a block of a uniformly random order. Failed allocations are counted, not
/// retried. This is allocator churn only: no faults, no page cache, no zeroing of contents.
/// </summary>
public sealed class ChurnStepHandler : IStepHandler
{
    public bool Handles(WorkloadStep step) => step is ChurnStep;

    public void Execute(WorkloadStep step, World world, PageAlloc alloc, StepMetrics metrics)
    {
        var s = (ChurnStep)step;
        var gfp = s.Migratetype switch
        {
            "unmovable" => Gfp.Kernel,
            "reclaimable" => Gfp.Kernel | Gfp.Reclaimable,
            _ => Gfp.HighUserMovable,
        };
        if (s.Zero)
        {
            gfp |= Gfp.Zero;
        }

        var limitPages = s.LiveBytes >> MmConstants.PageShift;
        var maxBlocks = (int)Math.Min(limitPages, int.MaxValue - 1);
        var pfns = new int[Math.Min(maxBlocks, 1 << 20)];
        var orders = new byte[pfns.Length];
        var live = 0;
        long livePages = 0, allocs = 0, frees = 0, failures = 0;
        var rng = world.Random;
        for (long op = 0; op < s.Operations; op++)
        {
            var order = rng.NextInt(s.MinOrder, s.MaxOrder + 1);
            var mustFree = livePages + (1L << order) > limitPages || live == pfns.Length;
            if (live > 0 && (mustFree || rng.NextInt(2) == 0))
            {
                var i = rng.NextInt(live);
                alloc.FreePages(pfns[i], orders[i]);
                livePages -= 1L << orders[i];
                live--;
                pfns[i] = pfns[live];
                orders[i] = orders[live];
                frees++;
                continue;
            }

            if (mustFree)
            {
                continue;
            }

            var r = alloc.AllocPages(gfp, order);
            if (!r.Success)
            {
                failures++;
                continue;
            }

            pfns[live] = r.Pfn;
            orders[live] = (byte)order;
            live++;
            livePages += 1L << order;
            allocs++;
        }

        if (s.FreeAtEnd)
        {
            for (var i = 0; i < live; i++)
            {
                alloc.FreePages(pfns[i], orders[i]);
                frees++;
            }

            livePages = 0;
        }

        metrics.Add("churn_allocs", allocs);
        metrics.Add("churn_frees", frees);
        metrics.Add("churn_alloc_failures", failures);
        metrics.Add("churn_pages_left_allocated", livePages);
    }
}
