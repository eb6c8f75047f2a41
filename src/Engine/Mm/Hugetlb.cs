using EcsMm.Truth;

namespace EcsMm.Mm;

/// <summary>
/// The 2 MiB hstate of mm/hugetlb.c: the persistent pool (nr_hugepages; free pool folios sit on the hugetlb free
/// list, typed PGTY_hugetlb, and never return to buddy while they are in the pool), surplus folios
/// (nr_overcommit_hugepages; allocated from buddy at order 9 when the pool is empty — alloc_surplus_hugetlb_folio →
/// alloc_buddy_hugetlb_folio, seed patch 8 passes the buddy's hint up — and dissolved back to buddy when freed),
/// and the zeroed state of a pool folio (seed patch 9: a folio taken from buddy with PGHINT_ZEROED enters the pool
/// known zero; a folio that comes back from a user does not). Reservations, cpusets, NUMA and gigantic pages
/// are abstracted: one node, allocation at fault time.
/// </summary>
public sealed class Hugetlb
{
    /// <summary>huge_page_order(h) for 2 MiB pages.</summary>
    public const int Order = MmConstants.HpagePmdOrder;

    /// <summary>htlb_alloc_mask() (2 MiB pages are migratable, so movable) | __GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN.</summary>
    public const Gfp BuddyGfp = Gfp.HighUserMovable | Gfp.Comp | Gfp.RetryMayfail | Gfp.NoWarn;

    private readonly List<int> _freePool = [];
    private readonly HashSet<int> _zeroed = [];

    public Hugetlb(PageAlloc alloc)
    {
        Alloc = alloc;
    }

    public PageAlloc Alloc { get; }

    /// <summary>nr_hugepages: persistent pool folios (free and in use).</summary>
    public int NrHugepages { get; private set; }

    /// <summary>free_huge_pages.</summary>
    public int FreeHugepages => _freePool.Count;

    /// <summary>
    /// surplus_huge_pages: folios that go back to buddy when freed — allocated over the pool (in use), or persistent
    /// ones turned surplus when nr_hugepages was set below what was in use (then some may be free in the pool).
    /// </summary>
    public int SurplusHugepages { get; private set; }

    /// <summary>nr_overcommit_hugepages.</summary>
    public int NrOvercommitHugepages { get; set; }

    /// <summary>Pool folios that entered the pool with the zeroed state (patch 9).</summary>
    public long PoolFoliosZeroedOnEntry { get; private set; }

    /// <summary>Surplus folios allocated from buddy (HTLB_BUDDY_PGALLOC for surplus).</summary>
    public long SurplusAllocated { get; private set; }

    /// <summary>Surplus folios dissolved back to buddy.</summary>
    public long SurplusFreedToBuddy { get; private set; }

    /// <summary>
    /// Writing nr_hugepages (set_max_huge_pages). Growing: surplus folios become persistent first
    /// (adjust_pool_surplus(-1)), then alloc_pool_huge_folio takes order-9 blocks from buddy (a PGHINT_ZEROED folio
    /// keeps its zeroed state, patch 9) until the pool has <paramref name="count"/> or buddy has none. Shrinking: free
    /// pool folios are dissolved back to buddy (remove_pool_hugetlb_folio, from the head of the free list) down to
    /// max(count, folios in use — surplus included); whatever persistent is still above count turns surplus
    /// (adjust_pool_surplus(1)), so it goes back to buddy when its user frees it. Returns the persistent pool size
    /// (max_huge_pages = nr_huge_pages − surplus_huge_pages).
    /// </summary>
    public int SetNrHugepages(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        while (SurplusHugepages > 0 && count > NrHugepages)
        {
            SurplusHugepages--;
            NrHugepages++;
        }

        while (NrHugepages < count)
        {
            var r = Alloc.AllocPages(BuddyGfp, Order);
            if (!r.Success)
            {
                break;
            }

            Alloc.Map.SetPageType(r.Pfn, PageType.Hugetlb);
            if (r.Hint == PageHint.Zeroed)
            {
                _zeroed.Add(r.Pfn);
                PoolFoliosZeroedOnEntry++;
            }

            _freePool.Add(r.Pfn);
            NrHugepages++;
        }

        var inUse = NrHugepages + SurplusHugepages - _freePool.Count;
        var minCount = Math.Max(count, inUse);
        while (minCount < NrHugepages && _freePool.Count > 0)
        {
            var pfn = _freePool[^1];
            _freePool.RemoveAt(_freePool.Count - 1);
            _zeroed.Remove(pfn);
            Dissolve(pfn);
            NrHugepages--;
        }

        while (count < NrHugepages)
        {
            NrHugepages--;
            SurplusHugepages++;
        }

        return NrHugepages;
    }

    /// <summary>
    /// alloc_hugetlb_folio(): dequeue a free pool folio (dequeue_hugetlb_folio_nodemask; its hint is the pool's
    /// zeroed state, consumed here), else a surplus folio from buddy if surplus_huge_pages &lt; nr_overcommit.
    /// </summary>
    /// <returns>The allocation; a failure (VM_FAULT_SIGBUS at the fault) has a negative PFN.</returns>
    public AllocResult AllocFolio(out bool surplus)
    {
        surplus = false;
        if (_freePool.Count > 0)
        {
            var pfn = _freePool[^1];
            _freePool.RemoveAt(_freePool.Count - 1);
            var hint = _zeroed.Remove(pfn) ? PageHint.Zeroed : PageHint.None;
            return new AllocResult(pfn, Order, hint, false);
        }

        if (SurplusHugepages >= NrOvercommitHugepages)
        {
            return AllocResult.Failed(Order);
        }

        var r = Alloc.AllocPages(BuddyGfp, Order);
        if (!r.Success)
        {
            return r;
        }

        Alloc.Map.SetPageType(r.Pfn, PageType.Hugetlb);
        SurplusHugepages++;
        SurplusAllocated++;
        surplus = true;
        return r;
    }

    /// <summary>
    /// free_huge_folio(): while the hstate has surplus pages the folio is dissolved and goes back to buddy
    /// (update_and_free_hugetlb_folio → __free_pages at order 9, through the pcp THP list), whichever folio it is —
    /// the kernel counts surplus, it does not mark folios; otherwise it is re-queued on the pool's free list
    /// (enqueue_hugetlb_folio) without the zeroed state: its user wrote it.
    /// </summary>
    /// <returns>True when the folio went back to buddy.</returns>
    public bool FreeFolio(int pfn)
    {
        if (SurplusHugepages > 0)
        {
            SurplusHugepages--;
            SurplusFreedToBuddy++;
            Dissolve(pfn);
            return true;
        }

        _freePool.Add(pfn);
        return false;
    }

    private void Dissolve(int pfn)
    {
        Alloc.Map.SetPageType(pfn, PageType.None);
        Alloc.FreePages(pfn, Order);
    }
}
