namespace EcsMm.Trace;

/// <summary>
/// One parsed trace line: a compact value with the fields every kmem/reporting event needs. Fields an event
/// does not carry hold -1 (numbers) or false/null. For <see cref="TraceEventKind.AllocExtfrag"/>,
/// <see cref="Order"/> and <see cref="Migratetype"/> are the <c>alloc_order</c> and <c>alloc_migratetype</c>.
/// For the reporting kprobes, <see cref="Pfn"/> is converted from the printed <c>struct page *</c>
/// (see <see cref="KprobePage"/>). Lines written without the <c>TASK-PID [CPU] FLAGS TIMESTAMP:</c> prefix
/// have <see cref="TimestampNs"/>, <see cref="Cpu"/> and <see cref="Pid"/> = -1.
/// </summary>
public readonly struct TraceEvent
{
    private const byte PercpuRefillBit = 1;
    private const byte FragmentingBit = 2;
    private const byte ChangeOwnershipBit = 4;
    private const byte GfpUnknownBit = 8;
    private const byte FailedBit = 16;

    private readonly byte _bits;
    private readonly sbyte _order;
    private readonly sbyte _migratetype;
    private readonly sbyte _fallbackOrder;
    private readonly sbyte _fallbackMigratetype;
    private readonly short _cpu;

    internal TraceEvent(
        TraceEventKind kind,
        long lineNumber,
        long timestampNs,
        int cpu,
        int pid,
        long pfn,
        int order,
        int migratetype,
        GfpFlags gfpFlags = GfpFlags.None,
        string? gfpText = null,
        bool gfpHasUnknownNames = false,
        bool percpuRefill = false,
        int fallbackOrder = -1,
        int fallbackMigratetype = -1,
        bool fragmenting = false,
        bool changeOwnership = false,
        bool failed = false,
        int entries = -1,
        TraceMark? mark = null)
    {
        Kind = kind;
        LineNumber = lineNumber;
        TimestampNs = timestampNs;
        _cpu = (short)cpu;
        Pid = pid;
        Pfn = pfn;
        _order = (sbyte)order;
        _migratetype = (sbyte)migratetype;
        GfpFlags = gfpFlags;
        GfpText = gfpText;
        _fallbackOrder = (sbyte)fallbackOrder;
        _fallbackMigratetype = (sbyte)fallbackMigratetype;
        Entries = entries;
        Mark = mark;
        _bits = (byte)((percpuRefill ? PercpuRefillBit : 0)
                       | (fragmenting ? FragmentingBit : 0)
                       | (changeOwnership ? ChangeOwnershipBit : 0)
                       | (gfpHasUnknownNames ? GfpUnknownBit : 0)
                       | (failed ? FailedBit : 0));
    }

    /// <summary>Which event this line is.</summary>
    public TraceEventKind Kind { get; }

    /// <summary>The 1-based line number in the source.</summary>
    public long LineNumber { get; }

    /// <summary>The trace timestamp in nanoseconds, or -1 for a line without the ftrace prefix.</summary>
    public long TimestampNs { get; }

    /// <summary>The CPU column (<c>[000]</c>), or -1.</summary>
    public int Cpu => _cpu;

    /// <summary>The PID of the task column, or -1.</summary>
    public int Pid { get; }

    /// <summary>The page frame number, or -1 when the event has none (or a failed allocation).</summary>
    public long Pfn { get; }

    /// <summary>The order (for extfrag: <c>alloc_order</c>), or -1.</summary>
    public int Order => _order;

    /// <summary>The migratetype (<c>migratetype=</c>, <c>mt=</c>, or extfrag's <c>alloc_migratetype</c>), or -1.</summary>
    public int Migratetype => _migratetype;

    /// <summary>The known GFP bits of <c>gfp_flags=</c> (mm_page_alloc only).</summary>
    public GfpFlags GfpFlags { get; }

    /// <summary>The raw <c>gfp_flags=</c> text (mm_page_alloc only; interned per distinct text).</summary>
    public string? GfpText { get; }

    /// <summary>True when <see cref="GfpText"/> contains names this reader does not know.</summary>
    public bool GfpHasUnknownNames => (_bits & GfpUnknownBit) != 0;

    /// <summary><c>percpu_refill=1</c> on mm_page_alloc_zone_locked: the block refills a pcp list.</summary>
    public bool PercpuRefill => (_bits & PercpuRefillBit) != 0;

    /// <summary>mm_page_alloc_extfrag <c>alloc_order</c> (same as <see cref="Order"/>).</summary>
    public int AllocOrder => _order;

    /// <summary>mm_page_alloc_extfrag <c>alloc_migratetype</c> (same as <see cref="Migratetype"/>).</summary>
    public int AllocMigratetype => _migratetype;

    /// <summary>mm_page_alloc_extfrag <c>fallback_order</c>, or -1.</summary>
    public int FallbackOrder => _fallbackOrder;

    /// <summary>mm_page_alloc_extfrag <c>fallback_migratetype</c>, or -1.</summary>
    public int FallbackMigratetype => _fallbackMigratetype;

    /// <summary>mm_page_alloc_extfrag <c>fragmenting=1</c>.</summary>
    public bool Fragmenting => (_bits & FragmentingBit) != 0;

    /// <summary>mm_page_alloc_extfrag <c>change_ownership=1</c>: the pageblock changed migratetype.</summary>
    public bool ChangeOwnership => (_bits & ChangeOwnershipBit) != 0;

    /// <summary>An mm_page_alloc with a NULL page (<c>page=0000000000000000 pfn=0x0</c>): the allocation failed.</summary>
    public bool Failed => (_bits & FailedBit) != 0;

    /// <summary>vb_report <c>nents=</c> (scatterlist entries sent to the host), or -1.</summary>
    public int Entries { get; }

    /// <summary>The marker of a <see cref="TraceEventKind.Mark"/> line.</summary>
    public TraceMark? Mark { get; }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TraceEventKind.Mark => $"{LineNumber}: mark {Mark}",
        TraceEventKind.PageAlloc => $"{LineNumber}: {Kind} pfn={Pfn} order={Order} mt={Migratetype} gfp={GfpText}",
        TraceEventKind.AllocExtfrag => $"{LineNumber}: {Kind} pfn={Pfn} order={Order}->{FallbackOrder} mt={Migratetype}<-{FallbackMigratetype}",
        _ => $"{LineNumber}: {Kind} pfn={Pfn} order={Order} mt={Migratetype}",
    };
}
