using EcsMm.Ecs;

namespace EcsMm.Mm;

/// <summary>
/// The page flags, mirroring <c>enum pageflags</c> in <c>include/linux/page-flags.h</c> (mainline order; the
/// architecture-private PG_arch_* bits and PG_dropbehind are left out to keep the word at 20 flag bits).
/// Bits 0..19 of the <see cref="MemMap.Flags"/> word; the high bits of that word hold the simulator's
/// ground truth, the page type and the order (see <see cref="MemMap"/>), which are not flags.
/// Accessors (<c>PageReported</c>, <c>SetPageReported</c>, <c>ClearPageZeroedNonAtomic</c>, ...) and masks
/// (<c>CheckAtFreeMask</c>, <c>CheckAtPrepMask</c>) are generated into <c>PageFlagAccessors</c>.
/// </summary>
[PageFlags(typeof(MemMap), nameof(MemMap.Flags), StorageBits = MemMap.FlagBits, AccessorClass = "PageFlagAccessors")]
public enum PageFlag
{
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep")]
    Locked = 0,
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep")]
    Writeback = 1,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    Referenced = 2,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    Uptodate = 3,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    Dirty = 4,
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep")]
    Lru = 5,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    Head = 6,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    Waiters = 7,
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep")]
    Active = 8,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    Workingset = 9,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    OwnerPriv1 = 10,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    Owner2 = 11,
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep")]
    Reserved = 12,
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep"), InMask("PrivateFlags")]
    Private = 13,
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep"), InMask("PrivateFlags")]
    Private2 = 14,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    Reclaim = 15,
    [FlagOps(FlagOps.All), InMask("CheckAtPrep")]
    SwapBacked = 16,
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep")]
    Unevictable = 17,
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep")]
    Mlocked = 18,

    /// <summary>PG_hwpoison: the one flag PAGE_FLAGS_CHECK_AT_PREP leaves out.</summary>
    [FlagOps(FlagOps.All)]
    HwPoison = 19,

    /// <summary>PG_reported = PG_uptodate: set by free page reporting on a block it reported; only valid for buddy pages.</summary>
    [FlagAlias(nameof(Uptodate), ValidWhen = nameof(MemMap.IsFreeBlockHead)), FlagOps(FlagOps.PageFlagNonAtomic | FlagOps.Test)]
    Reported = Uptodate,

    /// <summary>PG_zeroed = PG_private (seed patch 3): the host is known to have zeroed this free page. Valid on free pages
    /// (buddy or pcp) only; excluded from PAGE_FLAGS_CHECK_AT_PREP so it survives until post_alloc_hook consumes it.</summary>
    [FlagAlias(nameof(Private), ValidWhen = nameof(MemMap.IsFreePage)), FlagOps(FlagOps.PageFlagNonAtomic | FlagOps.TestAndClear), ExcludeFromMask("CheckAtPrep")]
    Zeroed = Private,
}
