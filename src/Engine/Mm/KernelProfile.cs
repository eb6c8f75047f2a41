namespace EcsMm.Mm;

/// <summary>How allocation falls back to another migratetype.</summary>
public enum FallbackRules
{
    /// <summary>Mainline (6.15+): __rmqueue_claim (try_to_claim_block, largest first) then __rmqueue_steal (smallest first).</summary>
    ClaimThenSteal,

    /// <summary>Linux 6.1: __rmqueue_fallback with steal_suitable_fallback (the free pages of the block move even when it is not claimed).</summary>
    StealSuitableFallback,
}

/// <summary>How the per-cpu lists size their batches.</summary>
public enum PcpTuning
{
    /// <summary>Mainline: nr_pcp_alloc with alloc_factor, nr_pcp_free with free_count.</summary>
    Mainline,

    /// <summary>Linux 6.1: refill max(batch &gt;&gt; order, 2), nr_pcp_free with free_factor.</summary>
    Linux61,
}

/// <summary>
/// The kernel whose rules are followed where versions differ. Each rule that differs is one property, read in
/// exactly one place of the allocator.
/// </summary>
public sealed record KernelProfile
{
    public required string Name { get; init; }

    public required FallbackRules Fallback { get; init; }

    public required PcpTuning Pcp { get; init; }

    /// <summary>NR_PCP_THP: per-cpu lists for the THP order (2: movable and not; the traced Debian 6.1.192 kernel has 2 as well, index 13 holding movable THPs).</summary>
    public required int PcpThpLists { get; init; }

    /// <summary>__free_one_page re-types a mismatched (mergeable) buddy pageblock to the freed block's type ("match buddy type").</summary>
    public required bool MatchBuddyTypeOnMerge { get; init; }

    /// <summary>free_one_page() cuts blocks larger than a pageblock with split_large_buddy() and frees each piece with its own pageblock's type.</summary>
    public required bool SplitLargeBuddy { get; init; }

    /// <summary>The pcp drain uses the pageblock's current type (mainline) rather than the type cached when the page was freed to pcp (6.1).</summary>
    public required bool DrainUsesPageblockType { get; init; }

    /// <summary>
    /// __isolate_free_page() re-types a mergeable pageblock Movable with move_freepages_block(), moving its other
    /// free blocks too (mainline since the 2024 freelist type hygiene series); 6.1 only calls
    /// set_pageblock_migratetype() and leaves the free blocks on their lists.
    /// </summary>
    public required bool IsolateMovesFreePages { get; init; }

    /// <summary>
    /// release_pages() (6.1) frees the large folios of an mmu_gather batch as it meets them and puts the small ones
    /// on a list with list_add, which free_unref_page_list() then walks from the head: within each batch the small
    /// pages go back in reverse. Mainline's folios_put_refs() keeps the batch order for all.
    /// </summary>
    public required bool ReleasePagesReversesSmallFolios { get; init; }

    public static KernelProfile Mainline { get; } = new()
    {
        Name = "mainline",
        Fallback = FallbackRules.ClaimThenSteal,
        Pcp = PcpTuning.Mainline,
        PcpThpLists = 2,
        MatchBuddyTypeOnMerge = true,
        SplitLargeBuddy = true,
        DrainUsesPageblockType = true,
        IsolateMovesFreePages = true,
        ReleasePagesReversesSmallFolios = false,
    };

    public static KernelProfile Linux61 { get; } = new()
    {
        Name = "6.1",
        Fallback = FallbackRules.StealSuitableFallback,
        Pcp = PcpTuning.Linux61,
        PcpThpLists = 2,
        MatchBuddyTypeOnMerge = false,
        SplitLargeBuddy = false,
        DrainUsesPageblockType = false,
        IsolateMovesFreePages = false,
        ReleasePagesReversesSmallFolios = true,
    };

    /// <summary>The profile for a --kernel value ("mainline" or "6.1"), or null.</summary>
    public static KernelProfile? FromName(string name) => name switch
    {
        "mainline" => Mainline,
        "6.1" => Linux61,
        _ => null,
    };
}
