using EcsMm.Ecs;
using EcsMm.Mm;

namespace EcsMm.Samples.CustomSystem;

/// <summary>
/// Adds <see cref="HighestFreeOrderProbe"/> to a pipeline from C#: boots a 256 MiB guest, runs 50 steps of a small
/// seeded workload (order-0..4 movable allocations, every other step frees half of what is live) and prints what the
/// probe saw.
/// </summary>
public static class Program
{
    public static int Main()
    {
        var config = new MemoryConfig { GuestBytes = 256L << 20 };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config);
        alloc.Boot();
        var world = new World(seed: 42);
        world.SetResource(alloc);

        var live = new List<(int Pfn, int Order)>();
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Workload, new DelegateSystem("SmallWorkload", (World w, in SimTime t) =>
        {
            for (var i = 0; i < 200; i++)
            {
                var order = w.Random.NextInt(0, 5);
                var r = alloc.AllocPages(Gfp.HighUserMovable, order);
                if (r.Success)
                {
                    live.Add((r.Pfn, order));
                }
            }

            if (t.Step % 2 == 1)
            {
                for (var i = live.Count - 1; i >= 0; i -= 2)
                {
                    alloc.FreePages(live[i].Pfn, live[i].Order);
                    live.RemoveAt(i);
                }
            }
        }));
        var probe = new HighestFreeOrderProbe();
        pipeline.Add(PhaseNames.Metrics, probe);
        pipeline.Run(world, steps: 50);

        foreach (var (name, value) in probe.Metrics())
        {
            Console.WriteLine($"{name} {value}");
        }

        return 0;
    }
}
