namespace EcsMm.Mm;

/// <summary>Constants of the page allocator (include/linux/mmzone.h, include/linux/pageblock-flags.h), x86-64 values.</summary>
public static class MmConstants
{
    /// <summary>MAX_PAGE_ORDER: the largest order, inclusive (6.4+; 6.1 calls MAX_ORDER = 11 the exclusive bound).</summary>
    public const int MaxPageOrder = 10;

    /// <summary>NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1.</summary>
    public const int NrPageOrders = MaxPageOrder + 1;

    /// <summary>MAX_ORDER_NR_PAGES = 1 &lt;&lt; MAX_PAGE_ORDER (4 MiB of 4 KiB pages).</summary>
    public const int MaxOrderNrPages = 1 << MaxPageOrder;

    /// <summary>pageblock_order on x86-64 (HPAGE_PMD_ORDER, 2 MiB).</summary>
    public const int PageblockOrder = 9;

    /// <summary>pageblock_nr_pages.</summary>
    public const int PageblockNrPages = 1 << PageblockOrder;

    /// <summary>HPAGE_PMD_ORDER: the THP order.</summary>
    public const int HpagePmdOrder = 9;

    /// <summary>PAGE_ALLOC_COSTLY_ORDER.</summary>
    public const int PageAllocCostlyOrder = 3;

    /// <summary>PAGE_SHIFT: 4 KiB base pages.</summary>
    public const int PageShift = 12;

    public const long PageSize = 1L << PageShift;
}
