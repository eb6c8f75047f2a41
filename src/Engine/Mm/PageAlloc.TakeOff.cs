namespace EcsMm.Mm;

/// <summary>
/// Taking a given block: take_page_off_buddy / break_down_buddy_pages, generalised to a block of any order, and
/// the pcp side of it. Used to replay traces in which the kernel chose the PFN.
/// </summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// Take the block [pfn, pfn + 2^order) off the free state. If it is exactly a pcp entry of that order it is
    /// removed from its pcp list. Otherwise every pcp entry inside it is first returned to buddy, then the free
    /// block holding it is removed from its list and broken down (break_down_buddy_pages: the halves not holding
    /// the target go to the heads of their lists). Returns false (changing nothing) if a page of the block is
    /// not free.
    /// </summary>
    public bool TakeBlock(int pfn, int order)
    {
        var count = 1 << order;
        if ((pfn & (count - 1)) != 0 || pfn < 0 || pfn + count > Map.PageCount)
        {
            return false;
        }

        if (Map.GetPageType(pfn) == PageType.Pcp && Map.GetOrder(pfn) == order)
        {
            RemoveFromPcp(pfn, order);
            return true;
        }

        if (!RangeIsFree(pfn, order))
        {
            return false;
        }

        // A pcp entry holding the block, or pcp entries inside it, go back to buddy first.
        var holder = PcpEntryContaining(pfn, out var holderOrder);
        if (holder >= 0)
        {
            ReturnPcpEntryToBuddy(holder, holderOrder);
        }

        for (var p = pfn; p < pfn + count;)
        {
            if (Map.GetPageType(p) == PageType.Pcp)
            {
                var o = Map.GetOrder(p);
                ReturnPcpEntryToBuddy(p, o);
                p += 1 << o;
            }
            else
            {
                p++;
            }
        }

        return TakeFromBuddy(pfn, order, halvesMt: null);
    }

    /// <summary>One entry of free_pcppages_bulk(): off its pcp list and through __free_one_page(FPI_NONE) with its pageblock's type.</summary>
    private void ReturnPcpEntryToBuddy(int pfn, int order)
    {
        RemoveFromPcp(pfn, order);
        FreeOnePageCore(pfn, ZoneIndexOf(pfn), order, PageblockType(pfn), FpiFlags.None);
    }

    /// <summary>A pcp entry of a larger order whose block contains <paramref name="pfn"/>, or −1 (a model helper for replay: the kernel never takes part of a pcp entry).</summary>
    private int PcpEntryContaining(int pfn, out int entryOrder)
    {
        for (var o = 1; o < MmConstants.NrPageOrders; o++)
        {
            if (!PerCpuPages.AllowedOrder(o))
            {
                continue;
            }

            var head = pfn & ~((1 << o) - 1);
            if (head != pfn && Map.GetPageType(head) == PageType.Pcp && Map.GetOrder(head) == o)
            {
                entryOrder = o;
                return head;
            }
        }

        entryOrder = -1;
        return -1;
    }

    /// <summary>break_down_buddy_pages(): split toward the target, putting the other half back each step.</summary>
    private void BreakDownBuddyPages(int head, int target, int low, int high, MigrateType mt, int zone, uint hints)
    {
        AccountFreePages(zone, SplitBlock(head, target, zone, low, high, mt, hints), mt);
        if (Config.SeriesApplied)
        {
            _flags[target] = (_flags[target] & ~HintMask) | (hints & PageFlagAccessors.ZeroedMask);
        }
    }

    /// <summary>The head of the buddy free block that contains [pfn, pfn + 2^order), or −1: take_page_off_buddy()'s search for the PageBuddy head at each order.</summary>
    public int FindFreeBlockHead(int pfn, int order, out int headOrder)
    {
        for (var o = order; o < MmConstants.NrPageOrders; o++)
        {
            var head = pfn & ~((1 << o) - 1);
            if (Map.PageBuddy(head) && BuddyOrder(head) >= o)
            {
                headOrder = BuddyOrder(head);
                return head;
            }
        }

        headOrder = -1;
        return -1;
    }

    /// <summary>Is every page of [pfn, pfn + 2^order) free (inside a buddy block or a pcp entry)?</summary>
    public bool RangeIsFree(int pfn, int order)
    {
        var end = pfn + (1 << order);
        for (var p = pfn; p < end;)
        {
            var t = Map.GetPageType(p);
            if (t == PageType.Pcp)
            {
                p += 1 << Map.GetOrder(p);
                continue;
            }

            var head = FindFreeBlockHead(p, 0, out var headOrder);
            if (head >= 0)
            {
                p = head + (1 << headOrder);
                continue;
            }

            var holder = PcpEntryContaining(p, out var holderOrder);
            if (holder < 0)
            {
                return false;
            }

            p = holder + (1 << holderOrder);
        }

        return true;
    }

    /// <summary>
    /// Take [pfn, pfn + 2^order) out of the buddy block holding it (del_page_from_free_list + expand, or
    /// break_down_buddy_pages when it is not the block's head), putting the other parts at the heads of the
    /// <paramref name="halvesMt"/> lists (the list the block was on when null). False if no free block holds it.
    /// </summary>
    internal bool TakeFromBuddy(int pfn, int order, MigrateType? halvesMt)
    {
        var head = FindFreeBlockHead(pfn, order, out var headOrder);
        if (head < 0)
        {
            return false;
        }

        var zone = ZoneIndexOf(head);
        var hints = _flags[head] & HintMask;
        var mt = DelFromFreeList(head, zone, headOrder);
        AccountFreePages(zone, -(1L << headOrder), mt);
        BreakDownBuddyPages(head, pfn, order, headOrder, halvesMt ?? mt, zone, hints);
        return true;
    }

    /// <summary>Put a block on a pcp list (head or tail) with the migratetype cached on it: list_add / list_add_tail on pcp-&gt;lists[order_to_pindex()] and set_pcppage_migratetype().</summary>
    internal void AddToPcp(int cpu, int pfn, int order, MigrateType mt, bool tail)
    {
        var zone = ZoneIndexOf(pfn);
        var pcp = Pcp.PcpId(cpu, zone);
        var list = Pcp.ListId(pcp, Pcp.OrderToPindex(mt, order));
        SetState(pfn, PageType.Pcp, order, mt);
        if (tail)
        {
            Pcp.Lists.AddTail(list, pfn);
        }
        else
        {
            Pcp.Lists.AddHead(list, pfn);
        }

        MarkThpFreedToPcp(pfn, order, freed: !tail); // a free goes to the head, a refill to the tail
        Pcp.State(pcp).Count += 1 << order;
    }

    /// <summary>Remove a pcp entry from its list (found through its stored order and list type): list_del(&amp;page-&gt;pcp_list) with pcp-&gt;count adjusted.</summary>
    internal void RemoveFromPcp(int pfn, int order)
    {
        var zone = ZoneIndexOf(pfn);
        var mt = ListTypeOf(pfn);
        var pindex = Pcp.OrderToPindex(mt, order);
        for (var cpu = 0; cpu < Pcp.Cpus; cpu++)
        {
            var pcp = Pcp.PcpId(cpu, zone);
            var list = Pcp.ListId(pcp, pindex);
            if (ListHolds(list, pfn))
            {
                Pcp.Lists.Remove(list, pfn);
                Pcp.State(pcp).Count -= 1 << order;
                ClearState(pfn);
                return;
            }
        }

        throw new InvalidOperationException($"pcp page {pfn:x} order {order} is on no pcp list");
    }

    private bool ListHolds(int list, int pfn)
    {
        if (Pcp.Cpus == 1)
        {
            return true;
        }

        for (var p = Pcp.Lists.Head[list]; p >= 0; p = Pcp.Lists.Next(p))
        {
            if (p == pfn)
            {
                return true;
            }
        }

        return false;
    }
}
