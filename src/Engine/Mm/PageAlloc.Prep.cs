namespace EcsMm.Mm;

/// <summary>
/// Page preparation on both ends: free_pages_prepare (the flag check at free), check_new_page (the flag check at
/// allocation), prep_new_page and post_alloc_hook (the single place an allocation is finished: zeroing decision and
/// PG_zeroed consumption).
/// </summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// is_check_pages_enabled(): the flag checks at free and at allocation run with CONFIG_DEBUG_VM (validate
    /// mode here), init_on_alloc or init_on_free.
    /// </summary>
    public bool CheckPagesEnabled => Validate || _initOnAllocOrFree;

    // The boot parameters never change after construction (MemoryConfig is immutable): read once, not per page.
    private readonly bool _initOnAllocOrFree;

    /// <summary>
    /// free_pages_prepare(): when checks are enabled, a page freed with any PAGE_FLAGS_CHECK_AT_FREE bit set is bad
    /// (bad_page: reported, and the page is not freed). Then the PAGE_FLAGS_CHECK_AT_PREP bits of every page of the
    /// block are cleared. PG_private (= PG_zeroed) is in the first mask but, with the v2 series, not in the second:
    /// without checks a PG_private left by its user survives onto the free lists.
    /// </summary>
    internal bool FreePagesPrepare(int pfn, int order)
    {
        var count = 1 << order;
        if (CheckPagesEnabled)
        {
            var bad = 0u;
            for (var p = pfn; p < pfn + count; p++)
            {
                bad |= _flags[p] & PageFlagAccessors.CheckAtFreeMask;
            }

            if (bad != 0)
            {
                ReportBad(pfn, order, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set", bad);
                return false;
            }
        }

        var clear = Config.SeriesApplied ? PageFlagAccessors.CheckAtPrepMask : PageFlagAccessors.CheckAtPrepMask | PageFlagAccessors.PrivateMask;
        if (count == 1)
        {
            // Order 0 (most frees): one word, without the span and the vector loop's set-up.
            _flags[pfn] &= ~clear;
            return true;
        }

        Ecs.FlagScan.ClearBits(new Span<uint>(_flags, pfn, count), clear);
        return true;
    }

    /// <summary>
    /// check_new_page(): a page handed out with any PAGE_FLAGS_CHECK_AT_PREP bit set is bad. The v2 series keeps
    /// PG_zeroed out of that mask so it survives on free pages until post_alloc_hook.
    /// </summary>
    internal bool CheckNewPages(int pfn, int order)
    {
        if (!CheckPagesEnabled)
        {
            return true;
        }

        var end = pfn + (1 << order);
        var bad = 0u;
        for (var p = pfn; p < end; p++)
        {
            bad |= _flags[p] & PageFlagAccessors.CheckAtPrepMask;
        }

        if (bad != 0)
        {
            ReportBad(pfn, order, "PAGE_FLAGS_CHECK_AT_PREP flag(s) set", bad);
            return false;
        }

        return true;
    }

    /// <summary>
    /// post_alloc_hook(): decide whether the allocator zeroes the pages
    /// (init = !init_on_free &amp;&amp; (init_on_alloc || __GFP_ZERO)), and consume PG_zeroed: with the v2 series it is
    /// tested and cleared here, exactly once, the zeroing is skipped when asked for, and PGHINT_ZEROED is returned
    /// to the caller (seed patch 7).
    /// </summary>
    public AllocResult PostAllocHook(int pfn, int order, Gfp gfp)
    {
        var hint = PageHint.None;
        if (Config.SeriesApplied && (_flags[pfn] & PageFlagAccessors.ZeroedMask) != 0)
        {
            if ((Config.Bugs & Truth.PlantedBugs.HintNotClearedOnConsume) == 0)
            {
                _flags[pfn] &= ~PageFlagAccessors.ZeroedMask;
            }

            hint = PageHint.Zeroed;
        }

        var init = !Config.InitOnFree && (Config.InitOnAlloc || (gfp & Gfp.Zero) != 0);
        var zeroedHere = false;
        if (init)
        {
            if (hint == PageHint.Zeroed)
            {
                Stats.ZeroingSkippedByHint += 1L << order;
                AllocZeroingHook?.OnZeroingSkipped(pfn, order);
            }
            else
            {
                KernelInitPages(pfn, order);
                zeroedHere = true;
            }
        }

        return new AllocResult(pfn, order, hint, zeroedHere);
    }

    /// <summary>Observer of post_alloc_hook's zeroing decisions (the oracle and the cost model hang here).</summary>
    public IAllocZeroingHook? AllocZeroingHook { get; set; }

    /// <summary>kernel_init_pages(): clear every 4 KiB page of the block (a guest write of zeros).</summary>
    internal void KernelInitPages(int pfn, int order)
    {
        Stats.ZeroedByAllocHook += 1L << order;
        if (AllocZeroingHook is { } hook)
        {
            hook.OnGuestZeroing(pfn, order);
        }
        else
        {
            Ecs.FlagScan.ClearBits(new Span<uint>(_flags, pfn, 1 << order), MemMap.ContentNonZeroBit);
        }
    }

    /// <summary>
    /// prep_new_page(): post_alloc_hook, then prep_compound_page for __GFP_COMP blocks (PG_head on the first page).
    /// The folio order is kept with the head page.
    /// </summary>
    internal AllocResult PrepNewPage(int pfn, int order, Gfp gfp)
    {
        var result = PostAllocHook(pfn, order, gfp);
        if (order > 0 && (gfp & Gfp.Comp) != 0)
        {
            _flags[pfn] |= PageFlagAccessors.HeadMask;
        }

        SetState(pfn, PageType.None, order, 0);
        return result;
    }
}

/// <summary>Receives post_alloc_hook's zeroing decisions.</summary>
public interface IAllocZeroingHook
{
    /// <summary>The allocator zeroes 2^order pages at <paramref name="pfn"/>; the hook must make their contents zero.</summary>
    void OnGuestZeroing(int pfn, int order);

    /// <summary>The allocator skipped zeroing 2^order pages at <paramref name="pfn"/> because PG_zeroed was set.</summary>
    void OnZeroingSkipped(int pfn, int order);
}
