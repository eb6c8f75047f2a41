namespace EcsMm.Trace;

/// <summary>
/// GFP flag bits as Linux 6.1 lays them out (<c>include/linux/gfp_types.h</c>; the values are those in the
/// capture's <c>format_mm_page_alloc.txt</c>). Mainline renumbered some bits after removing
/// <c>__GFP_ATOMIC</c>; traces print names, so the layout here only matters for raw hex values in a trace.
/// Composite members (<see cref="Kernel"/>, <see cref="HighUserMovable"/>, ...) are the kernel's GFP_* masks.
/// </summary>
[Flags]
public enum GfpFlags : uint
{
    /// <summary>No flags (printed as <c>none</c>).</summary>
    None = 0,

    /// <summary>__GFP_DMA (printed GFP_DMA).</summary>
    Dma = 0x01,

    /// <summary>__GFP_HIGHMEM.</summary>
    HighMem = 0x02,

    /// <summary>__GFP_DMA32 (printed GFP_DMA32).</summary>
    Dma32 = 0x04,

    /// <summary>__GFP_MOVABLE: the allocation's migratetype is Movable.</summary>
    Movable = 0x08,

    /// <summary>__GFP_RECLAIMABLE: the allocation's migratetype is Reclaimable.</summary>
    Reclaimable = 0x10,

    /// <summary>__GFP_HIGH: may use the emergency reserves.</summary>
    High = 0x20,

    /// <summary>__GFP_IO.</summary>
    Io = 0x40,

    /// <summary>__GFP_FS.</summary>
    Fs = 0x80,

    /// <summary>__GFP_ZERO: return zeroed memory.</summary>
    Zero = 0x100,

    /// <summary>__GFP_ATOMIC (6.1 only; removed in 6.4).</summary>
    Atomic = 0x200,

    /// <summary>__GFP_DIRECT_RECLAIM.</summary>
    DirectReclaim = 0x400,

    /// <summary>__GFP_KSWAPD_RECLAIM.</summary>
    KswapdReclaim = 0x800,

    /// <summary>__GFP_WRITE.</summary>
    Write = 0x1000,

    /// <summary>__GFP_NOWARN.</summary>
    NoWarn = 0x2000,

    /// <summary>__GFP_RETRY_MAYFAIL.</summary>
    RetryMayFail = 0x4000,

    /// <summary>__GFP_NOFAIL.</summary>
    NoFail = 0x8000,

    /// <summary>__GFP_NORETRY.</summary>
    NoRetry = 0x10000,

    /// <summary>__GFP_MEMALLOC.</summary>
    MemAlloc = 0x20000,

    /// <summary>__GFP_COMP: a compound page (folio).</summary>
    Comp = 0x40000,

    /// <summary>__GFP_NOMEMALLOC.</summary>
    NoMemAlloc = 0x80000,

    /// <summary>__GFP_HARDWALL.</summary>
    Hardwall = 0x100000,

    /// <summary>__GFP_THISNODE.</summary>
    ThisNode = 0x200000,

    /// <summary>__GFP_ACCOUNT: charged to the memory cgroup.</summary>
    Account = 0x400000,

    /// <summary>__GFP_ZEROTAGS.</summary>
    ZeroTags = 0x800000,

    /// <summary>__GFP_RECLAIM = direct | kswapd reclaim.</summary>
    Reclaim = DirectReclaim | KswapdReclaim,

    /// <summary>GFP_NOWAIT.</summary>
    NoWait = KswapdReclaim,

    /// <summary>GFP_NOIO.</summary>
    NoIo = Reclaim,

    /// <summary>GFP_NOFS.</summary>
    NoFs = Reclaim | Io,

    /// <summary>GFP_ATOMIC (6.1: __GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM).</summary>
    GfpAtomic = High | Atomic | KswapdReclaim,

    /// <summary>GFP_KERNEL.</summary>
    Kernel = Reclaim | Io | Fs,

    /// <summary>GFP_KERNEL_ACCOUNT.</summary>
    KernelAccount = Kernel | Account,

    /// <summary>GFP_USER.</summary>
    User = Reclaim | Io | Fs | Hardwall,

    /// <summary>GFP_HIGHUSER.</summary>
    HighUser = User | HighMem,

    /// <summary>GFP_HIGHUSER_MOVABLE (the __GFP_SKIP_KASAN bits are 0 in this build).</summary>
    HighUserMovable = HighUser | Movable,

    /// <summary>GFP_TRANSHUGE_LIGHT = (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) &amp; ~__GFP_RECLAIM.</summary>
    TransHugeLight = (HighUserMovable | Comp | NoMemAlloc | NoWarn) & ~Reclaim,

    /// <summary>GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM.</summary>
    TransHuge = TransHugeLight | DirectReclaim,
}
