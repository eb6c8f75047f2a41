namespace EcsMm.Mm;

/// <summary>The hinted free path of the v2 series (patch 17): free_frozen_pages_hint / put_page_hint.</summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// free_frozen_pages_hint() (seed patch 17): free a block the caller knows to be zero (the balloon's deflated
    /// pages, patch 18). PG_zeroed cannot be set before the free (PG_private is in PAGE_FLAGS_CHECK_AT_FREE), so it
    /// is set after free_pages_prepare() and before the block reaches the pcp or buddy lists, where merging ANDs it
    /// with its buddies. Without the series, or with <see cref="PageHint.None"/>, this is the normal free.
    /// </summary>
    /// <returns>False when the page was bad and not freed.</returns>
    public bool FreePagesHint(int pfn, int order, PageHint hint, int cpu = 0)
    {
        if (!FreePagesPrepare(pfn, order))
        {
            return false;
        }

        if (hint == PageHint.Zeroed && Config.SeriesApplied)
        {
            _flags[pfn] |= PageFlagAccessors.ZeroedMask;
            Stats.HintedZeroedFrees += 1L << order;
        }

        FreePreparedPages(pfn, order, cpu);
        return true;
    }

    /// <summary>put_page_hint(): drop the last reference of an order-0 page and free it with the hint.</summary>
    public bool PutPageHint(int pfn, PageHint hint, int cpu = 0) => FreePagesHint(pfn, 0, hint, cpu);
}
