namespace EcsMm.Mm;

/// <summary>/sys/kernel/mm/transparent_hugepage/enabled.</summary>
public enum ThpEnabled : byte
{
    /// <summary>THP for every anonymous VMA (unless MADV_NOHUGEPAGE).</summary>
    Always = 0,

    /// <summary>THP only for VMAs with MADV_HUGEPAGE.</summary>
    Madvise = 1,

    /// <summary>No THP.</summary>
    Never = 2,
}

/// <summary>The values of /sys/kernel/mm/transparent_hugepage/enabled.</summary>
public static class ThpModes
{
    /// <summary>"always", "madvise" or "never" (anything else is refused by the scenario loader before it gets here).</summary>
    public static ThpEnabled FromName(string name) => name switch
    {
        "never" => ThpEnabled.Never,
        "madvise" => ThpEnabled.Madvise,
        _ => ThpEnabled.Always,
    };
}

/// <summary>/sys/kernel/mm/transparent_hugepage/defrag: which GFP mask vma_thp_gfp_mask() builds.</summary>
public enum ThpDefrag : byte
{
    /// <summary>Direct reclaim and compaction for every THP allocation (GFP_TRANSHUGE).</summary>
    Always = 0,

    /// <summary>Wake kswapd/kcompactd, no direct reclaim (GFP_TRANSHUGE_LIGHT | __GFP_KSWAPD_RECLAIM).</summary>
    Defer = 1,

    /// <summary>Direct reclaim for MADV_HUGEPAGE VMAs, kswapd for the others.</summary>
    DeferMadvise = 2,

    /// <summary>The default: direct reclaim only for MADV_HUGEPAGE VMAs, GFP_TRANSHUGE_LIGHT for the others.</summary>
    Madvise = 3,

    /// <summary>Never reclaim (GFP_TRANSHUGE_LIGHT).</summary>
    Never = 4,
}

/// <summary>Where mmap places a large anonymous mapping.</summary>
public enum MappingPlacement : byte
{
    /// <summary>
    /// Mainline since 6.7 (thp_get_unmapped_area for anonymous mappings; since 6.12 only for lengths that are a
    /// multiple of PMD_SIZE): the start is aligned to 2 MiB, so every PMD of the mapping can be a THP.
    /// </summary>
    Aligned2M = 0,

    /// <summary>
    /// Linux 6.1: the mapping goes just below the previous one at page granularity, so its start is 2 MiB aligned
    /// only by chance (the real guest got 31 THPs and 512 small pages for each 64 MiB run).
    /// </summary>
    Unaligned = 1,
}

/// <summary>
/// The fault paths' configuration: THP enabled / defrag, the mTHP orders allowed
/// (/sys/kernel/mm/transparent_hugepage/hugepages-*kB/enabled), mapping placement, and whether the architecture
/// zeroes order-0 anonymous pages inside the allocator (x86's vma_alloc_zeroed_movable_folio passes __GFP_ZERO).
/// </summary>
public sealed record FaultConfig
{
    public ThpEnabled Thp { get; init; } = ThpEnabled.Always;

    public ThpDefrag Defrag { get; init; } = ThpDefrag.Madvise;

    /// <summary>Bit n set: mTHP order n (1..8) allowed for anonymous faults. The sysfs default is none.</summary>
    public int MthpOrders { get; init; }

    public MappingPlacement Placement { get; init; } = MappingPlacement.Aligned2M;

    /// <summary>x86: order-0 anonymous folios are zeroed by post_alloc_hook (__GFP_ZERO); otherwise by clear_user_highpage.</summary>
    public bool ZeroInAllocator { get; init; } = true;

    /// <summary>The placement a kernel profile uses by default: unaligned for Linux 6.1, aligned for mainline.</summary>
    public static MappingPlacement DefaultPlacement(KernelProfile kernel) =>
        kernel.Name == KernelProfile.Linux61.Name ? MappingPlacement.Unaligned : MappingPlacement.Aligned2M;

    /// <summary>Checks the mTHP orders (1..8 only).</summary>
    public void Validate()
    {
        if ((MthpOrders & ~0x1FE) != 0)
        {
            throw new ArgumentException($"mTHP orders must be within 1..8, got mask 0x{MthpOrders:x}", nameof(MthpOrders));
        }
    }
}
