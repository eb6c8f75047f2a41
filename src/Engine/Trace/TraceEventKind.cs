namespace EcsMm.Trace;

/// <summary>The kinds of trace lines <see cref="FtraceReader"/> turns into <see cref="TraceEvent"/>s.</summary>
public enum TraceEventKind : byte
{
    /// <summary><c>mm_page_alloc</c>: a block handed to a caller (trace_mm_page_alloc in <c>__alloc_pages</c>).</summary>
    PageAlloc,

    /// <summary><c>mm_page_free</c>: a block freed by its user (<c>free_pages_prepare</c>).</summary>
    PageFree,

    /// <summary><c>mm_page_free_batched</c>: an order-0 page freed through <c>free_unref_page_list</c>.</summary>
    PageFreeBatched,

    /// <summary><c>mm_page_alloc_zone_locked</c>: a block taken off the buddy lists under the zone lock
    /// (<c>__rmqueue</c> via <c>rmqueue_bulk</c> when <see cref="TraceEvent.PercpuRefill"/>).</summary>
    PageAllocZoneLocked,

    /// <summary><c>mm_page_pcpu_drain</c>: a page moved from a pcp list back to buddy (<c>free_pcppages_bulk</c>).</summary>
    PcpDrain,

    /// <summary><c>mm_page_alloc_extfrag</c>: an allocation fell back to another migratetype (<c>steal_suitable_fallback</c>).</summary>
    AllocExtfrag,

    /// <summary>kprobe <c>rep_process</c> on <c>page_reporting_process</c>: a reporting pass starts.</summary>
    ReportProcess,

    /// <summary>kprobe <c>rep_isolate</c> on <c>__isolate_free_page</c>: reporting takes a free block off its list.</summary>
    ReportIsolate,

    /// <summary>kprobe <c>rep_putback</c> on <c>__putback_isolated_page</c>: a reported block goes back to the lists.</summary>
    ReportPutback,

    /// <summary>kprobe <c>vb_report</c> on <c>virtballoon_free_page_report</c>: a batch is sent to the host.</summary>
    BalloonReport,

    /// <summary><c>tracing_mark_write</c>: a user-space marker (see <see cref="TraceMark"/>).</summary>
    Mark,
}
