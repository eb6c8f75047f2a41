namespace EcsMm.Mm;

/// <summary>
/// GFP flags with the kernel's names (include/linux/gfp_types.h). The numeric values are the simulator's own and
/// are not the kernel ABI (which changes between versions); traces are mapped by name.
/// </summary>
[Flags]
public enum Gfp : uint
{
    None = 0,
    Dma = 1u << 0,
    HighMem = 1u << 1,
    Dma32 = 1u << 2,
    Movable = 1u << 3,
    Reclaimable = 1u << 4,
    High = 1u << 5,
    Io = 1u << 6,
    Fs = 1u << 7,
    Zero = 1u << 8,
    DirectReclaim = 1u << 9,
    KswapdReclaim = 1u << 10,
    Write = 1u << 11,
    NoWarn = 1u << 12,
    RetryMayfail = 1u << 13,
    NoFail = 1u << 14,
    NoRetry = 1u << 15,
    MemAlloc = 1u << 16,
    Comp = 1u << 17,
    NoMemAlloc = 1u << 18,
    HardWall = 1u << 19,
    ThisNode = 1u << 20,
    Account = 1u << 21,
    ZeroTags = 1u << 22,
    SkipZero = 1u << 23,
    SkipKasan = 1u << 24,
    NoLockdep = 1u << 25,

    /// <summary>__GFP_RECLAIM.</summary>
    Reclaim = DirectReclaim | KswapdReclaim,

    /// <summary>GFP_ATOMIC.</summary>
    Atomic = High | KswapdReclaim,

    /// <summary>GFP_NOWAIT.</summary>
    NoWait = KswapdReclaim,

    /// <summary>GFP_KERNEL.</summary>
    Kernel = Reclaim | Io | Fs,

    /// <summary>GFP_USER.</summary>
    User = Reclaim | Io | Fs | HardWall,

    /// <summary>GFP_HIGHUSER.</summary>
    HighUser = User | HighMem,

    /// <summary>GFP_HIGHUSER_MOVABLE.</summary>
    HighUserMovable = HighUser | Movable | SkipKasan,

    /// <summary>GFP_TRANSHUGE_LIGHT: THP allocation without reclaim (the default defrag=madvise mask for a VMA without MADV_HUGEPAGE).</summary>
    TransHugeLight = (HighUserMovable | Comp | NoMemAlloc | NoWarn) & ~Reclaim,

    /// <summary>GFP_TRANSHUGE.</summary>
    TransHuge = TransHugeLight | DirectReclaim,
}

/// <summary>What the allocator derives from GFP flags.</summary>
public static class GfpRules
{
    /// <summary>gfp_migratetype(): __GFP_MOVABLE → Movable, __GFP_RECLAIMABLE → Reclaimable, neither → Unmovable.</summary>
    public static MigrateType MigrateTypeOf(Gfp gfp)
    {
        if ((gfp & Gfp.Movable) != 0)
        {
            return MigrateType.Movable;
        }

        return (gfp & Gfp.Reclaimable) != 0 ? MigrateType.Reclaimable : MigrateType.Unmovable;
    }

    /// <summary>gfp_zone(): the highest zone the allocation may use.</summary>
    public static ZoneType HighestZone(Gfp gfp)
    {
        if ((gfp & Gfp.Dma) != 0)
        {
            return ZoneType.Dma;
        }

        return (gfp & Gfp.Dma32) != 0 ? ZoneType.Dma32 : ZoneType.Normal;
    }
}
