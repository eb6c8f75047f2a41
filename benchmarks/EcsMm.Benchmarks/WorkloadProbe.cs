using System.Diagnostics;
using EcsMm.Diagnostics;
using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- workload SIZE STEPS</c>: a pipeline of allocator systems on one guest, long enough to
/// attach <c>dotnet-trace</c> or <c>dotnet-counters</c> (see docs/profiling.md). Each step: the Allocation phase
/// allocates 4096 blocks of a kernel-like order mix, the Frees phase frees 4064 random held blocks (the held set grows by 32 a step), the
/// PcpDrain phase drains the per-cpu lists every 16th step (drain_all_pages), the Validate phase runs the invariant
/// checker every 64th step. Seeded: the same arguments give the same run. The allocator's counters are published
/// on the "EcsMm" Meter while it runs.
/// </summary>
internal static class WorkloadProbe
{
    public static int Run(string size, string stepsText)
    {
        long bytes;
        try
        {
            bytes = Guests.Bytes(size);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"workload: size '{size}': expected a number with a K, M, G or T suffix (e.g. 16G)");
            return 2;
        }

        if (!int.TryParse(stepsText, out var steps) || steps <= 0)
        {
            Console.Error.WriteLine($"workload: steps '{stepsText}': expected a positive whole number");
            return 2;
        }

        var config = new MemoryConfig { GuestBytes = bytes };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config);
        alloc.Boot();
        using var meter = new PageAllocMeter(alloc);
        var world = new World(seed: 42);
        var held = new Held(alloc.Map.PageCount / 8);
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Allocation, new AllocateSystem(alloc, held));
        pipeline.Add(PhaseNames.Frees, new FreeSystem(alloc, held));
        pipeline.Add(PhaseNames.PcpDrain, new DrainSystem(alloc));
        pipeline.Add(PhaseNames.Validate, new CheckSystem(alloc));

        var sw = Stopwatch.StartNew();
        pipeline.Run(world, steps);
        Console.WriteLine($"workload {size}, {steps} steps: {sw.Elapsed.TotalMilliseconds:F0} ms; allocations {alloc.Stats.AllocSuccess}, failures {alloc.Stats.AllocFail}, merges {alloc.Stats.BuddyMerges}");
        Console.WriteLine(pipeline.PerfLog());
        return 0;
    }

    private static readonly int[] OrderCdf = [700, 740, 780, 820, 830, 840, 850, 860, 870, 970, 1000];

    private sealed class Held(int capacity)
    {
        public readonly int[] Pfn = new int[capacity];
        public readonly byte[] Order = new byte[capacity];
        public int Count;
    }

    /// <summary>Allocation phase: 4096 requests per step (__alloc_pages), orders drawn from the mix.</summary>
    private sealed class AllocateSystem(PageAlloc alloc, Held held) : SystemBase("workload.allocate")
    {
        public override void Update(World world, in SimTime time)
        {
            for (var i = 0; i < 4096 && held.Count < held.Pfn.Length; i++)
            {
                var x = world.Random.NextInt(1000);
                var order = 0;
                while (x >= OrderCdf[order])
                {
                    order++;
                }

                var r = alloc.AllocPages(Guests.GfpFor(order), order);
                if (r.Success)
                {
                    held.Pfn[held.Count] = r.Pfn;
                    held.Order[held.Count] = (byte)order;
                    held.Count++;
                }
            }
        }
    }

    /// <summary>Frees phase: up to 4064 random held blocks per step (__free_pages), so the held set grows by 32 blocks a step.</summary>
    private sealed class FreeSystem(PageAlloc alloc, Held held) : SystemBase("workload.free")
    {
        public override void Update(World world, in SimTime time)
        {
            for (var i = 0; i < 4064 && held.Count > 0; i++)
            {
                var victim = world.Random.NextInt(held.Count);
                alloc.FreePages(held.Pfn[victim], held.Order[victim]);
                held.Count--;
                held.Pfn[victim] = held.Pfn[held.Count];
                held.Order[victim] = held.Order[held.Count];
            }
        }
    }

    /// <summary>PcpDrain phase: drain_all_pages every 16th step.</summary>
    private sealed class DrainSystem(PageAlloc alloc) : SystemBase("workload.drain")
    {
        public override void Update(World world, in SimTime time)
        {
            if (time.Step % 16 == 15)
            {
                alloc.DrainAllPages();
            }
        }
    }

    /// <summary>Validate phase: the invariant checker every 64th step.</summary>
    private sealed class CheckSystem(PageAlloc alloc) : SystemBase("workload.check")
    {
        private readonly InvariantChecker _checker = new(alloc);

        public override void Update(World world, in SimTime time)
        {
            if (time.Step % 64 == 63 && _checker.Check().Count > 0)
            {
                throw new InvalidOperationException($"invariant violated at step {time.Step}: {_checker.Check()[0]}");
            }
        }
    }
}
