using EcsMm.Ecs;
using EcsMm.Truth;

namespace EcsMm.Mm;

/// <summary>
/// The anonymous PMD fault path of mm/huge_memory.c: thp_vma_allowable (enabled = always / madvise / never),
/// vma_thp_gfp_mask (defrag), do_huge_pmd_anonymous_page → vma_alloc_anon_folio_pmd with folio_zero_user
/// (skipped on PGHINT_ZEROED, seed patch 13). Reclaim and compaction are not modelled, so every defrag mask
/// behaves like the default light mask here: the order-9 allocation succeeds only if a free block of order ≥ 9
/// (or a pcp THP page) is there above the watermark; otherwise the fault falls back to PTEs (THP_FAULT_FALLBACK).
/// </summary>
public sealed class HugeMemory
{
    public HugeMemory(Memory memory)
    {
        Memory = memory;
    }

    public Memory Memory { get; }

    /// <summary>
    /// thp_vma_allowable_order(PMD_ORDER) for an anonymous VMA: enabled = always, or madvise with VM_HUGEPAGE.
    /// </summary>
    public bool ThpVmaAllowable(Entity vma) => Memory.Config.Thp switch
    {
        ThpEnabled.Always => true,
        ThpEnabled.Madvise => Memory.Tables.Vmas.Get(Memory.Tables.VmaHugepage, vma) != 0,
        _ => false,
    };

    /// <summary>vma_thp_gfp_mask(): the GFP mask of a THP (and mTHP) allocation for the defrag setting.</summary>
    public Gfp VmaThpGfpMask(Entity vma)
    {
        var madvised = Memory.Tables.Vmas.Get(Memory.Tables.VmaHugepage, vma) != 0;
        return Memory.Config.Defrag switch
        {
            ThpDefrag.Always => Gfp.TransHuge | (madvised ? Gfp.None : Gfp.NoRetry),
            ThpDefrag.Defer => Gfp.TransHugeLight | Gfp.KswapdReclaim,
            ThpDefrag.DeferMadvise => Gfp.TransHugeLight | (madvised ? Gfp.DirectReclaim : Gfp.KswapdReclaim),
            ThpDefrag.Madvise => Gfp.TransHugeLight | (madvised ? Gfp.DirectReclaim : Gfp.None),
            _ => Gfp.TransHugeLight,
        };
    }

    /// <summary>
    /// create_huge_pmd → do_huge_pmd_anonymous_page(): the 2 MiB-aligned range around the fault must lie inside the
    /// VMA (transhuge_vma_suitable) with the PMD none; then vma_alloc_anon_folio_pmd(): vma_alloc_folio(gfp,
    /// HPAGE_PMD_ORDER), folio_zero_user() when user_alloc_needs_zeroing() unless hinted, and the PMD is mapped.
    /// </summary>
    /// <returns>False when the fault must fall back to PTEs (range unsuitable, or the allocation failed).</returns>
    public bool DoHugePmdAnonymousPage(Entity vma, long index)
    {
        const int order = MmConstants.HpagePmdOrder;
        var aligned = Memory.AlignedIndex(vma, index, order);
        var ptes = Memory.PtesOf(vma);
        if (!Memory.RangeNone(ptes, aligned, 1 << order))
        {
            return false;
        }

        var hitsBefore = Memory.Alloc.Stats.PcpHits;
        var r = Memory.FaultAlloc(VmaThpGfpMask(vma), order);
        if (!r.Success)
        {
            Memory.Stats.ThpFallbacks++;
            return false;
        }

        // Straight off the pcp THP list (no rmqueue_bulk refill on the way), or from buddy.
        if (Memory.Alloc.Stats.PcpHits != hitsBefore)
        {
            Memory.Stats.ThpFromPcp++;
            if (Memory.Alloc.ThpRecycledFromPcp(r.Pfn))
            {
                Memory.Stats.ThpRecycledViaPcp++;
                if (r.Hint != PageHint.None)
                {
                    Memory.Stats.ThpRecycledHinted++; // must stay 0: a normal free drops PG_zeroed
                }
            }
        }
        else
        {
            Memory.Stats.ThpFromBuddy++;
        }

        if (Memory.UserAllocNeedsZeroing)
        {
            Memory.CallerZero(r, ZeroingPath.FolioZeroUser);
        }

        Memory.MapFolio(vma, aligned, r.Pfn, order, FolioKind.Thp);
        Memory.Stats.Faults[(int)FaultKind.Thp]++;
        return true;
    }
}
