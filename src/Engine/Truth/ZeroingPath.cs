namespace EcsMm.Truth;

/// <summary>Where a zeroing is done or skipped: the allocator itself, or a caller that zeroes for itself.</summary>
public enum ZeroingPath
{
    /// <summary>post_alloc_hook → kernel_init_pages (__GFP_ZERO or init_on_alloc; order-0 anon faults on x86).</summary>
    PostAllocHook = 0,

    /// <summary>folio_zero_user: THP (vma_alloc_anon_folio_pmd, patch 13), mTHP (alloc_anon_folio, patch 12), hugetlb faults.</summary>
    FolioZeroUser = 1,

    /// <summary>clear_user_highpage in vma_alloc_zeroed_movable_folio (patch 11).</summary>
    ClearUserHighpage = 2,

    /// <summary>hugetlb pool and surplus pages (patches 8, 9).</summary>
    Hugetlb = 3,

    /// <summary>memfd hugetlb folios (memfd_alloc_folio, patch 14).</summary>
    Memfd = 4,
}

/// <summary>Names of <see cref="ZeroingPath"/> values as the kernel spells the functions.</summary>
public static class ZeroingPaths
{
    public const int Count = 5;

    private static readonly string[] Names = ["post_alloc_hook", "folio_zero_user", "clear_user_highpage", "hugetlb", "memfd"];

    public static string KernelName(ZeroingPath path) => Names[(int)path];
}
