namespace EcsMm.Truth;

/// <summary>
/// Bugs planted on purpose, by tests only, to prove that the <see cref="ZeroingOracle"/> catches each way a
/// PG_zeroed hint can be wrong. A correct model runs with <see cref="None"/> and must show zero corruptions.
/// </summary>
[Flags]
public enum PlantedBugs
{
    /// <summary>The faithful model.</summary>
    None = 0,

    /// <summary>__free_one_page keeps PG_zeroed on a merged block when either half had it (OR instead of AND, patch 4 broken).</summary>
    MergeWithoutAnd = 1 << 0,

    /// <summary>post_alloc_hook returns PGHINT_ZEROED but leaves PG_zeroed set on the page (patch 7 broken).</summary>
    HintNotClearedOnConsume = 1 << 1,

    /// <summary>
    /// A page-cache user frees a page with PG_private still set (it forgot folio_detach_private). Without
    /// CONFIG_DEBUG_VM the PAGE_FLAGS_CHECK_AT_FREE check is off and, with the series, PG_private is not cleared
    /// as a PREP flag, so the buddy lists read it as PG_zeroed.
    /// </summary>
    PagePrivateLeakedToFree = 1 << 2,

    /// <summary>The host inhibits discard (VFIO, postcopy, background snapshot) while the guest runs host_zeroes_pages=1.</summary>
    DiscardInhibitedWithHostZeroes = 1 << 3,

    /// <summary>The device has a non-zero poison_val (VIRTIO_BALLOON_F_PAGE_POISON), so QEMU skips the discard, while host_zeroes_pages=1.</summary>
    PoisonValueSet = 1 << 4,

    /// <summary>page_reporting_order is below the host page order (e.g. order 8 blocks on a 2 MiB THP/hugetlbfs backing), so QEMU ignores the unaligned ranges.</summary>
    BlockSmallerThanHostPage = 1 << 5,
}
