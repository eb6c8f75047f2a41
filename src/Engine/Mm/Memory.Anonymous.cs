using EcsMm.Ecs;
using EcsMm.Truth;

namespace EcsMm.Mm;

/// <summary>do_anonymous_page (mm/memory.c): mTHP via alloc_anon_folio, order 0 via vma_alloc_zeroed_movable_folio.</summary>
public sealed partial class Memory
{
    /// <summary>
    /// do_anonymous_page() for a write fault: alloc_anon_folio() picks the folio, which is mapped whole.
    /// </summary>
    internal bool DoAnonymousPage(Entity vma, long index)
    {
        var ptes = PtesOf(vma);
        if (AllocAnonFolioMthp(vma, ptes, index))
        {
            return true;
        }

        return AllocZeroedMovableFolio(vma, index);
    }

    /// <summary>
    /// alloc_anon_folio() above order 0 (seed patch 12): of the allowed mTHP orders, highest first, the first
    /// whose naturally aligned range lies inside the VMA with every PTE none is allocated with
    /// vma_thp_gfp_mask(); a failed order falls to the next. The folio is zeroed by folio_zero_user() when
    /// user_alloc_needs_zeroing(), skipped when post_alloc_hook returned PGHINT_ZEROED. The per-size sysfs
    /// switches are modelled as one allowed-orders mask applied to every anonymous VMA.
    /// </summary>
    private bool AllocAnonFolioMthp(Entity vma, int[] ptes, long index)
    {
        var orders = Config.MthpOrders;
        if (orders == 0)
        {
            return false;
        }

        var gfp = Huge.VmaThpGfpMask(vma);
        for (var order = MmConstants.HpagePmdOrder - 1; order >= 1; order--)
        {
            if ((orders & (1 << order)) == 0)
            {
                continue;
            }

            var aligned = AlignedIndex(vma, index, order);
            if (!RangeNone(ptes, aligned, 1 << order))
            {
                continue;
            }

            var r = FaultAlloc(gfp, order);
            if (!r.Success)
            {
                Stats.MthpFallbacks++;
                continue;
            }

            if (UserAllocNeedsZeroing)
            {
                CallerZero(r, ZeroingPath.FolioZeroUser);
            }

            MapFolio(vma, aligned, r.Pfn, order, FolioKind.AnonMthp);
            Stats.Faults[(int)FaultKind.Mthp]++;
            return true;
        }

        return false;
    }

    /// <summary>
    /// vma_alloc_zeroed_movable_folio() (seed patch 11): on x86 GFP_HIGHUSER_MOVABLE | __GFP_ZERO, so
    /// post_alloc_hook zeroes the page or skips on PG_zeroed; elsewhere the page is allocated without __GFP_ZERO
    /// and clear_user_highpage() zeroes it when user_alloc_needs_zeroing(), unless the hint says it is zero.
    /// </summary>
    private bool AllocZeroedMovableFolio(Entity vma, long index)
    {
        var gfp = Config.ZeroInAllocator ? Gfp.HighUserMovable | Gfp.Zero : Gfp.HighUserMovable;
        var r = FaultAlloc(gfp, 0);
        if (!r.Success)
        {
            Stats.Failures++;
            return false;
        }

        if (!Config.ZeroInAllocator && UserAllocNeedsZeroing)
        {
            CallerZero(r, ZeroingPath.ClearUserHighpage);
        }

        MapFolio(vma, index, r.Pfn, 0, FolioKind.Anon);
        Stats.Faults[(int)FaultKind.Order0]++;
        return true;
    }

    /// <summary>The VMA page index of the naturally aligned 2^order range (in virtual addresses) around <paramref name="index"/>.</summary>
    internal long AlignedIndex(Entity vma, long index, int order)
    {
        var start = Tables.Vmas.Get(Tables.VmaStart, vma);
        var va = start + index;
        return (va & ~((1L << order) - 1)) - start;
    }
}
