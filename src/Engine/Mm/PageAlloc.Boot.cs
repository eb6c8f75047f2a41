namespace EcsMm.Mm;

/// <summary>Boot: memblock_free_all hands every non-reserved range to buddy in max-order-aligned blocks.</summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// Boot the allocator: reserved ranges become PageReserved; every other range is freed as
    /// __free_pages_memory() does — the largest naturally aligned block (at most MAX_PAGE_ORDER) at each step, each
    /// through __free_pages_core → __free_pages_ok(FPI_TO_TAIL), merging as it goes. Then the watermarks and the
    /// per-cpu lists are set up. Cost grows with the number of blocks (pages / 1024), not with pages.
    /// </summary>
    public void Boot()
    {
        var pages = Map.PageCount;
        var reserved = new List<PfnRange>(Config.Reserved);
        reserved.Sort((a, b) => a.Start.CompareTo(b.Start));
        var cursor = 0;
        foreach (var r in reserved)
        {
            var start = Math.Clamp(r.Start, 0, pages);
            var end = Math.Clamp(r.End, 0, pages);
            if (start > cursor)
            {
                FreeRange(cursor, start);
            }

            for (var p = Math.Max(start, cursor); p < end; p++)
            {
                Map.SetPageType(p, PageType.Reserved);
                _flags[p] |= PageFlagAccessors.ReservedMask;
            }

            cursor = Math.Max(cursor, end);
        }

        if (cursor < pages)
        {
            FreeRange(cursor, pages);
        }

        MarkHoles();
        SetupPerZoneWmarks();
        InitPcp();
    }

    /// <summary>Pages outside every zone are holes: typed Reserved, never freed.</summary>
    private void MarkHoles()
    {
        var next = 0;
        foreach (var z in Zones)
        {
            for (var p = next; p < z.StartPfn; p++)
            {
                Map.SetPageType(p, PageType.Reserved);
            }

            next = z.EndPfn;
        }

        for (var p = next; p < Map.PageCount; p++)
        {
            Map.SetPageType(p, PageType.Reserved);
        }
    }

    /// <summary>__free_pages_memory(): free [start, end) in the largest aligned blocks, per zone.</summary>
    private void FreeRange(int start, int end)
    {
        foreach (var z in Zones)
        {
            var lo = Math.Max(start, z.StartPfn);
            var hi = Math.Min(end, z.EndPfn);
            var p = lo;
            while (p < hi)
            {
                var order = p == 0 ? MmConstants.MaxPageOrder : Math.Min(MmConstants.MaxPageOrder, System.Numerics.BitOperations.TrailingZeroCount(p));
                while (p + (1 << order) > hi)
                {
                    order--;
                }

                FreeOnePage(p, order, FpiFlags.ToTail);
                p += 1 << order;
            }
        }
    }
}
