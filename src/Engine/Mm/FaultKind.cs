namespace EcsMm.Mm;

/// <summary>What a page fault mapped.</summary>
public enum FaultKind : byte
{
    /// <summary>do_anonymous_page at order 0 (vma_alloc_zeroed_movable_folio).</summary>
    Order0 = 0,

    /// <summary>do_anonymous_page with an mTHP folio (alloc_anon_folio, order 1..8).</summary>
    Mthp = 1,

    /// <summary>do_huge_pmd_anonymous_page with a PMD folio (vma_alloc_anon_folio_pmd, order 9).</summary>
    Thp = 2,

    /// <summary>hugetlb_no_page (a MAP_HUGETLB or hugetlbfs/memfd mapping).</summary>
    Hugetlb = 3,
}

/// <summary>Names for <see cref="FaultKind"/>.</summary>
public static class FaultKinds
{
    public const int Count = 4;

    private static readonly string[] Names = ["order-0", "mTHP", "THP", "hugetlb"];

    public static string Name(FaultKind kind) => Names[(int)kind];
}

/// <summary>What a VMA maps.</summary>
public enum VmaKind : byte
{
    /// <summary>MAP_PRIVATE | MAP_ANONYMOUS.</summary>
    Anonymous = 0,

    /// <summary>MAP_HUGETLB (an anonymous hugetlbfs file).</summary>
    Hugetlb = 1,

    /// <summary>A shared mapping of a memfd created with MFD_HUGETLB.</summary>
    MemfdHugetlb = 2,
}

/// <summary>What a folio is.</summary>
public enum FolioKind : byte
{
    Anon = 0,
    AnonMthp = 1,
    Thp = 2,
    /// <summary>A 2 MiB hugetlb folio; whether it goes back to buddy or the pool is decided when it is freed (surplus is a count).</summary>
    Hugetlb = 3,
}
