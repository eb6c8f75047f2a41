using System.Runtime.CompilerServices;
using EcsMm.Ecs;

namespace EcsMm.Mm;

/// <summary>
/// The simulator's <c>mem_map</c>: one row per PFN, three 4-byte columns (12 bytes per page; the kernel's
/// <c>struct page</c> takes 64).
/// <list type="bullet">
/// <item><see cref="Flags"/>: bits 0..19 are the page flags (<see cref="PageFlag"/>, generated accessors);
/// bit 20 is the ground truth "contents are not zero"; bit 21 "the host currently backs this page";
/// bits 22..24 the migratetype of the list a free page sits on (the kernel finds it from the list itself;
/// a pcp page's cached type, <c>page-&gt;index</c> in 6.1); bits 25..27 the <see cref="PageType"/>;
/// bits 28..31 the order (the kernel keeps a buddy block's order in <c>page-&gt;private</c>).</item>
/// <item><see cref="Next"/>, <see cref="Prev"/>: the intrusive list links (<c>page-&gt;buddy_list</c>), PFNs, −1 for none.
/// Meaningful only while the page is the head of a free block on a list.</item>
/// </list>
/// A fresh table is all zero: every page has zero contents, no host backing, no type.
/// </summary>
public sealed class MemMap
{
    public const int FlagBits = 20;
    public const uint ContentNonZeroBit = 1u << 20;
    public const uint HostBackedBit = 1u << 21;
    public const int ListTypeShift = 22;
    public const uint ListTypeMask = 0x7u << ListTypeShift;
    public const int TypeShift = 25;
    public const uint TypeMask = 0x7u << TypeShift;
    public const int OrderShift = 28;
    public const uint OrderMask = 0xFu << OrderShift;
    public const uint FlagMask = (1u << FlagBits) - 1;
    public const int NoPage = -1;

    public MemMap(PageTable table)
    {
        Table = table;
        Flags = table.AddColumn<uint>("flags");
        Next = table.AddColumn<int>("next");
        Prev = table.AddColumn<int>("prev");
    }

    public MemMap(long pages)
        : this(new PageTable(pages))
    {
    }

    public PageTable Table { get; }

    public int PageCount => Table.RowCount;

    /// <summary>page-&gt;flags, with the fields described on the type.</summary>
    public readonly uint[] Flags;

    /// <summary>Next entry of the list the page heads (a PFN), or <see cref="NoPage"/>.</summary>
    public readonly int[] Next;

    /// <summary>Previous entry of the list the page heads (a PFN), or <see cref="NoPage"/>.</summary>
    public readonly int[] Prev;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PageType GetPageType(int pfn) => (PageType)((Flags[pfn] & TypeMask) >> TypeShift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageType(int pfn, PageType type)
    {
        ref var word = ref Flags[pfn];
        word = (word & ~TypeMask) | ((uint)type << TypeShift);
    }

    /// <summary>The order stored with the page (buddy order of a free block head, or the order of a pcp entry / folio head).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrder(int pfn) => (int)((Flags[pfn] & OrderMask) >> OrderShift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetOrder(int pfn, int order)
    {
        ref var word = ref Flags[pfn];
        word = (word & ~OrderMask) | ((uint)order << OrderShift);
    }

    /// <summary>The migratetype of the free list (or pcp list) the page sits on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MigrateType GetListType(int pfn) => (MigrateType)((Flags[pfn] & ListTypeMask) >> ListTypeShift);

    /// <summary>PageBuddy(): the head of a free block on a buddy list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PageBuddy(int pfn) => (Flags[pfn] & TypeMask) == ((uint)PageType.Buddy << TypeShift);

    /// <summary>The head of a free block that is on a buddy list or isolated for reporting.</summary>
    public bool IsFreeBlockHead(int pfn)
    {
        var t = GetPageType(pfn);
        return t is PageType.Buddy or PageType.Isolated;
    }

    /// <summary>A free page: a buddy block head, an isolated block head or a pcp entry.</summary>
    public bool IsFreePage(int pfn)
    {
        var t = GetPageType(pfn);
        return t is PageType.Buddy or PageType.Isolated or PageType.Pcp;
    }

    /// <summary>Ground truth: are this page's contents all zero?</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ContentIsZero(int pfn) => (Flags[pfn] & ContentNonZeroBit) == 0;

    /// <summary>Ground truth: does the host currently back this page?</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HostBacked(int pfn) => (Flags[pfn] & HostBackedBit) != 0;

    /// <summary>Bytes of simulator state per page, all columns together.</summary>
    public double BytesPerPage => Table.BytesPerRow;
}
