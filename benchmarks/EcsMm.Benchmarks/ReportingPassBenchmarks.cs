using BenchmarkDotNet.Attributes;
using EcsMm.Ecs;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// A free page reporting pass (page_reporting_process → process_zone → cycle: isolate, report, putback) over a
/// freshly booted guest at 2 GiB and 64 GiB, every free block unreported: <c>Flush</c> reports everything
/// reportable (page_reporting_order = pageblock_order, so one entry per free pageblock-or-larger block, in batches
/// of PAGE_REPORTING_CAPACITY). The device accepts each batch at once (no host cost). One invocation per
/// iteration on a new guest; ALLOCATOR.md divides by the blocks reported.
/// </summary>
[MemoryDiagnoser]
public class ReportingPassBenchmarks
{
    private PageReporting _reporting = null!;

    [Params("2G", "64G")]
    public string Size { get; set; } = "2G";

    [IterationSetup]
    public void FreshGuest()
    {
        var alloc = Guests.Booted(Size);
        _reporting = new PageReporting(alloc, new SimClock(), new AcceptingDevice());
    }

    [Benchmark]
    public long Flush() => _reporting.Flush(0);

    /// <summary>A device that takes every batch (virtio_balloon's report() with the host's work not modelled).</summary>
    private sealed class AcceptingDevice : IPageReportingDevice
    {
        public int Order => -1;

        public bool HostZeroesPages => true;

        public int Report(ReadOnlySpan<ReportedBlock> blocks) => 0;
    }
}
