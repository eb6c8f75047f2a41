using BenchmarkDotNet.Attributes;
using EcsMm.Ecs;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// One pipeline step over the default phases (Workload … Metrics) with an allocator behind it: a system in the
/// Allocation phase takes 256 order-0 pages and 8 THP-order blocks, a system in the Frees phase gives them back,
/// and the nine other phases are empty (their command-buffer playback and the per-system timing still run).
/// <c>Step</c> reads as ns per step; <c>StepTraced</c> is the same with an EventListener enabled on "EcsMm" (the
/// cost of the phase/system start/stop events when someone listens).
/// </summary>
[MemoryDiagnoser]
public class PipelineStepBenchmarks
{
    private const int Steps = 64;
    private World _world = null!;
    private Pipeline _pipeline = null!;

    [GlobalSetup]
    public void Setup()
    {
        var alloc = Guests.Booted("2G");
        var held = new HeldBlocks();
        _world = new World(seed: 1);
        _pipeline = new Pipeline();
        _pipeline.Add(PhaseNames.Allocation, new TakeSystem(alloc, held));
        _pipeline.Add(PhaseNames.Frees, new GiveBackSystem(alloc, held));
        _pipeline.Run(_world);
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public long Step()
    {
        for (var i = 0; i < Steps; i++)
        {
            _pipeline.Run(_world);
        }

        return _world.Step;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public long StepTraced()
    {
        using var listener = new EcsMmListener();
        for (var i = 0; i < Steps; i++)
        {
            _pipeline.Run(_world);
        }

        return _world.Step + listener.Events;
    }

    /// <summary>The blocks the take system holds until the give-back system frees them.</summary>
    private sealed class HeldBlocks
    {
        public readonly int[] Pfn = new int[512];
        public readonly byte[] Order = new byte[512];
        public int Count;
    }

    /// <summary>Allocation phase: 256 order-0 pages and 8 order-9 blocks per step (__alloc_pages).</summary>
    private sealed class TakeSystem(PageAlloc alloc, HeldBlocks held) : SystemBase("bench.take")
    {
        public override void Update(World world, in SimTime time)
        {
            for (var i = 0; i < 264; i++)
            {
                var order = i % 33 == 32 ? MmConstants.HpagePmdOrder : 0;
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

    /// <summary>Frees phase: every block taken this step goes back (__free_pages).</summary>
    private sealed class GiveBackSystem(PageAlloc alloc, HeldBlocks held) : SystemBase("bench.giveback")
    {
        public override void Update(World world, in SimTime time)
        {
            for (var i = 0; i < held.Count; i++)
            {
                alloc.FreePages(held.Pfn[i], held.Order[i]);
            }

            held.Count = 0;
        }
    }

    private sealed class EcsMmListener : System.Diagnostics.Tracing.EventListener
    {
        public long Events;

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
        {
            if (eventSource.Name == "EcsMm")
            {
                EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData) => Events++;
    }
}
