namespace EcsMm.Mm;

/// <summary>
/// What a page is, kept apart from the flags as the kernel keeps <c>page_type</c> apart
/// (<c>PGTY_buddy</c>, ...). Stored in the top nibble of the <see cref="MemMap.Flags"/> word.
/// Pages inside a free block other than its head are <see cref="None"/>, as in the kernel.
/// </summary>
public enum PageType : byte
{
    /// <summary>No type: allocated, or an interior page of a free block.</summary>
    None = 0,

    /// <summary>PageBuddy: the head of a free block on a buddy free list.</summary>
    Buddy = 1,

    /// <summary>A free page (or block of order ≤ 3, or the THP order) held on a per-cpu list; not PageBuddy.</summary>
    Pcp = 2,

    /// <summary>A free block taken off its list by <c>__isolate_free_page</c> while it is reported.</summary>
    Isolated = 3,

    /// <summary>A page of a hugetlb pool folio (PGTY_hugetlb).</summary>
    Hugetlb = 4,

    /// <summary>PageOffline: given to the host by balloon inflation.</summary>
    Offline = 5,

    /// <summary>Never handed to the buddy allocator (memblock-reserved, or a hole).</summary>
    Reserved = 6,
}
