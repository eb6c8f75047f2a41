using System.Diagnostics.Metrics;
using EcsMm.Mm;

namespace EcsMm.Diagnostics;

/// <summary>
/// The "EcsMm" <see cref="Meter"/> of one allocator, for <c>dotnet-counters</c> or an in-process
/// <see cref="MeterListener"/>. Every instrument is an observable counter that reads the allocator's
/// <see cref="VmStat"/> when a listener collects, so the allocation and free paths pay nothing for it, listener or not.
/// Instruments: requests served and failed, pages allocated and freed (pgalloc_*, pgfree), buddy merges and splits,
/// pcp refills and drained pages, pages zeroed by post_alloc_hook (kernel_init_pages) and pages whose zeroing was
/// skipped by PG_zeroed, and bad pages (bad_page). Free page reporting and the content oracle add theirs through
/// <see cref="TrackReports"/> and <see cref="TrackCorruptions"/>; until a run registers one, those instruments
/// do not exist (no number is shown that the simulation did not compute).
/// </summary>
public sealed class PageAllocMeter : IDisposable
{
    /// <summary>The meter's name, as given to <c>dotnet-counters monitor --counters EcsMm</c>.</summary>
    public const string MeterName = "EcsMm";

    public const string Allocations = "ecsmm.page_alloc.allocations";
    public const string AllocationFailures = "ecsmm.page_alloc.allocation_failures";
    public const string PagesAllocated = "ecsmm.page_alloc.pages_allocated";
    public const string PagesFreed = "ecsmm.page_alloc.pages_freed";
    public const string Merges = "ecsmm.page_alloc.merges";
    public const string Splits = "ecsmm.page_alloc.splits";
    public const string PcpRefills = "ecsmm.page_alloc.pcp_refills";
    public const string PcpDrainedPages = "ecsmm.page_alloc.pcp_drained_pages";
    public const string ZeroingPerformed = "ecsmm.page_alloc.zeroing_performed";
    public const string ZeroingSkipped = "ecsmm.page_alloc.zeroing_skipped";
    public const string BadPages = "ecsmm.page_alloc.bad_pages";
    public const string Reports = "ecsmm.page_reporting.reported_pages";
    public const string Corruptions = "ecsmm.truth.corruptions";

    private readonly VmStat _stats;

    /// <summary>Creates the meter and its instruments over <paramref name="alloc"/>'s counters.</summary>
    public PageAllocMeter(PageAlloc alloc)
    {
        ArgumentNullException.ThrowIfNull(alloc);
        _stats = alloc.Stats;
        Meter = new Meter(MeterName, typeof(PageAllocMeter).Assembly.GetName().Version?.ToString());
        var s = _stats;
        Meter.CreateObservableCounter(Allocations, () => s.AllocSuccess, "{request}", "allocation requests served (__alloc_pages)");
        Meter.CreateObservableCounter(AllocationFailures, () => s.AllocFail, "{request}", "allocation requests that found no page");
        Meter.CreateObservableCounter(PagesAllocated, SumPgAlloc, "{page}", "pages allocated, all zones (pgalloc_*)");
        Meter.CreateObservableCounter(PagesFreed, () => s.PgFree, "{page}", "pages freed (pgfree)");
        Meter.CreateObservableCounter(Merges, () => s.BuddyMerges, "{merge}", "buddy merges in __free_one_page");
        Meter.CreateObservableCounter(Splits, () => s.BuddySplits, "{split}", "halves put back by expand()");
        Meter.CreateObservableCounter(PcpRefills, () => s.PcpRefills, "{refill}", "per-cpu list refills (rmqueue_bulk)");
        Meter.CreateObservableCounter(PcpDrainedPages, () => s.PcpDrainedPages, "{page}", "pages drained from per-cpu lists (free_pcppages_bulk)");
        Meter.CreateObservableCounter(ZeroingPerformed, () => s.ZeroedByAllocHook, "{page}", "pages zeroed by post_alloc_hook (kernel_init_pages)");
        Meter.CreateObservableCounter(ZeroingSkipped, () => s.ZeroingSkippedByHint, "{page}", "pages whose zeroing post_alloc_hook skipped (PG_zeroed)");
        Meter.CreateObservableCounter(BadPages, () => s.BadPages, "{page}", "bad pages found by the flag checks (bad_page)");
    }

    /// <summary>The "EcsMm" meter.</summary>
    public Meter Meter { get; }

    /// <summary>Publishes free page reporting's count of reported pages (page_reporting_cycle) as <see cref="Reports"/>.</summary>
    public void TrackReports(Func<long> reportedPages)
    {
        ArgumentNullException.ThrowIfNull(reportedPages);
        Meter.CreateObservableCounter(Reports, reportedPages, "{page}", "pages reported to the host (page_reporting_cycle)");
    }

    /// <summary>Publishes the content oracle's count of corruptions (a page handed out as zero that is not) as <see cref="Corruptions"/>.</summary>
    public void TrackCorruptions(Func<long> corruptions)
    {
        ArgumentNullException.ThrowIfNull(corruptions);
        Meter.CreateObservableCounter(Corruptions, corruptions, "{page}", "pages handed out as zeroed whose contents were not zero");
    }

    public void Dispose() => Meter.Dispose();

    private long SumPgAlloc()
    {
        long sum = 0;
        foreach (var pages in _stats.PgAlloc)
        {
            sum += pages;
        }

        return sum;
    }
}
