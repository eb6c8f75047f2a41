using BenchmarkDotNet.Attributes;
using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Mm.Systems;

namespace EcsMm.Benchmarks;

/// <summary>
/// One pipeline step of the engine's own guest (<see cref="Guest"/>: the AllocPages system in the Allocation phase,
/// the FreePages system in the Frees phase, default phases Workload … Metrics) on 2 GiB. A Workload-phase system
/// queues, each step, free requests for the 264 blocks served the step before and 264 new allocation requests
/// (256 order-0, 8 THP-order), so every step serves 264 allocations and 264 frees through request entities.
/// <c>Step</c> reads as ns per step; <c>StepTraced</c> is the same with an EventListener enabled on "EcsMm" (the
/// cost of the phase/system start/stop events when someone listens).
/// </summary>
[MemoryDiagnoser]
public class PipelineStepBenchmarks
{
    private const int Steps = 64;
    private Guest _guest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _guest = new Guest(Guests.Config("2G"), seed: 1).Boot();
        _guest.Pipeline.Add(PhaseNames.Workload, new RequestSystem(_guest));
        _guest.Pipeline.Run(_guest.World);
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public long Step()
    {
        for (var i = 0; i < Steps; i++)
        {
            _guest.Pipeline.Run(_guest.World);
        }

        return _guest.World.Step;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public long StepTraced()
    {
        using var listener = new EcsMmListener();
        for (var i = 0; i < Steps; i++)
        {
            _guest.Pipeline.Run(_guest.World);
        }

        return _guest.World.Step + listener.Events;
    }

    /// <summary>Workload phase: free what was served last step, then ask for 256 order-0 pages and 8 THP-order blocks.</summary>
    private sealed class RequestSystem(Guest guest) : SystemBase("bench.requests")
    {
        public override void Update(World world, in SimTime time)
        {
            var allocs = guest.AllocRequests;
            var n = allocs.Table.Count;
            var pfn = allocs.Pfn.Data;
            var order = allocs.Order.Data;
            var status = allocs.Status.Data;
            for (var row = 0; row < n; row++)
            {
                if (status[row] == (byte)RequestStatus.Served)
                {
                    guest.FreeRequests.Add(pfn[row], order[row]);
                }
            }

            allocs.Table.Clear();
            for (var i = 0; i < 264; i++)
            {
                var o = i % 33 == 32 ? MmConstants.HpagePmdOrder : 0;
                allocs.Add(Guests.GfpFor(o), o, tag: i);
            }
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
