namespace EcsMm.Workloads;

/// <summary>
/// How much the background workload does per pipeline step. All figures are per step; lifetimes are in steps.
/// The defaults are a modest desktop-like mix, not fitted to any measurement.
/// </summary>
public sealed record BackgroundWorkloadSpec
{
    /// <summary>Page-cache pages read per step (movable, order 0, written with file data; freed by drop_caches).</summary>
    public int PageCachePagesPerStep { get; init; } = 64;

    /// <summary>Cap on page-cache pages (beyond it the oldest pages are evicted, as reclaim would).</summary>
    public int PageCacheMaxPages { get; init; } = 16384;

    /// <summary>Reclaimable slab pages (dentries, inodes) per step; freed by drop_caches.</summary>
    public int ReclaimableSlabPerStep { get; init; } = 4;

    /// <summary>Long-lived unmovable kernel pages (slab, page tables) per step, until <see cref="LongLivedMaxPages"/>.</summary>
    public int LongLivedPerStep { get; init; } = 4;

    /// <summary>Cap on long-lived unmovable pages.</summary>
    public int LongLivedMaxPages { get; init; } = 4096;

    /// <summary>Short-lived unmovable kernel allocations (orders 0..1) per step.</summary>
    public int ShortLivedPerStep { get; init; } = 16;

    /// <summary>Mixed-size movable churn allocations (orders 0..<see cref="ChurnMaxOrder"/>) per step.</summary>
    public int ChurnPerStep { get; init; } = 16;

    public int ChurnMaxOrder { get; init; } = 3;

    /// <summary>Maximum lifetime of short-lived and churn allocations, in steps (drawn uniformly from 1..max).</summary>
    public int MaxLifetimeSteps { get; init; } = 50;

    /// <summary>No background activity.</summary>
    public static BackgroundWorkloadSpec None { get; } = new()
    {
        PageCachePagesPerStep = 0,
        ReclaimableSlabPerStep = 0,
        LongLivedPerStep = 0,
        ShortLivedPerStep = 0,
        ChurnPerStep = 0,
    };
}
