namespace EcsMm.Mm;

/// <summary>
/// Event counters, named as in /proc/vmstat where the kernel has a name (pgalloc_*, pgfree, ...), plus the
/// allocator's internal events the model exposes (merges, splits, pcp refills and drains, failures).
/// </summary>
public sealed class VmStat
{
    /// <summary>pgalloc_dma / pgalloc_dma32 / pgalloc_normal: pages allocated per zone type.</summary>
    public long[] PgAlloc { get; } = new long[3];

    /// <summary>pgfree: pages freed.</summary>
    public long PgFree { get; set; }

    /// <summary>Allocation requests that found no page (the kernel would enter reclaim / OOM).</summary>
    public long AllocFail { get; set; }

    /// <summary>Allocation requests served.</summary>
    public long AllocSuccess { get; set; }

    /// <summary>Buddy merges done by __free_one_page.</summary>
    public long BuddyMerges { get; set; }

    /// <summary>Blocks split off by expand() (one per half put back).</summary>
    public long BuddySplits { get; set; }

    /// <summary>rmqueue_bulk() calls (pcp refills).</summary>
    public long PcpRefills { get; set; }

    /// <summary>Allocations popped off a pcp list that already held the block (no rmqueue_bulk refill on the way).</summary>
    public long PcpHits { get; set; }

    /// <summary>Pages moved from pcp lists to buddy by free_pcppages_bulk().</summary>
    public long PcpDrainedPages { get; set; }

    /// <summary>Fallback allocations (mm_page_alloc_extfrag events).</summary>
    public long ExtFrag { get; set; }

    /// <summary>Pageblocks whose migratetype changed by fallback claims.</summary>
    public long PageblockClaims { get; set; }

    /// <summary>Pages zeroed by post_alloc_hook (kernel_init_pages).</summary>
    public long ZeroedByAllocHook { get; set; }

    /// <summary>Pages whose zeroing post_alloc_hook skipped because PG_zeroed was set.</summary>
    public long ZeroingSkippedByHint { get; set; }

    /// <summary>Pages freed with the PGHINT_ZEROED hint (free_frozen_pages_hint, patch 17).</summary>
    public long HintedZeroedFrees { get; set; }

    /// <summary>Bad pages found by the flag checks at free or allocation (free_page_is_bad / check_new_page).</summary>
    public long BadPages { get; set; }
}
