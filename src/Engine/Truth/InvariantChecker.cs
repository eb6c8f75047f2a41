using EcsMm.Mm;

namespace EcsMm.Truth;

/// <summary>
/// Checks the allocator's state the way CONFIG_DEBUG_VM and a careful reader would: every page is in exactly one
/// state (inside one free block on exactly one list, on a pcp list, isolated, reserved, or allocated); nr_free and
/// pcp counts match the lists; lists are well formed; flags respect their page state (the PG_reported / PG_zeroed
/// aliases only on free block heads, nothing on interior free pages); free-list types agree with pageblock types
/// where the kernel requires it (mainline); NR_FREE_PAGES matches the lists.
/// </summary>
public sealed class InvariantChecker
{
    private readonly PageAlloc _alloc;

    public InvariantChecker(PageAlloc alloc) => _alloc = alloc;

    /// <summary>Stop collecting after this many violations.</summary>
    public int MaxViolations { get; init; } = 32;

    /// <summary>Runs every check; returns the violations found (empty when the state is consistent).</summary>
    public IReadOnlyList<string> Check()
    {
        var v = new List<string>();
        var map = _alloc.Map;
        var covered = new ulong[(map.PageCount + 63) / 64];
        var freeHeads = new ulong[(map.PageCount + 63) / 64];

        CheckFreeLists(v, covered, freeHeads);
        CheckPcpLists(v, covered, freeHeads);
        CheckPages(v, covered, freeHeads);
        return v;
    }

    private void Add(List<string> v, string message)
    {
        if (v.Count < MaxViolations)
        {
            v.Add(message);
        }
    }

    private bool Cover(List<string> v, ulong[] covered, int pfn, int order, string what)
    {
        var end = pfn + (1 << order);
        if (end > _alloc.Map.PageCount)
        {
            Add(v, $"{what} pfn {pfn:x} order {order} runs past the end of memory");
            return false;
        }

        for (var p = pfn; p < end; p++)
        {
            ref var word = ref covered[p >> 6];
            var bit = 1UL << (p & 63);
            if ((word & bit) != 0)
            {
                Add(v, $"page {p:x} is in two free blocks (second: {what} pfn {pfn:x} order {order})");
                return false;
            }

            word |= bit;
        }

        return true;
    }

    private void CheckFreeLists(List<string> v, ulong[] covered, ulong[] heads)
    {
        var lists = _alloc.FreeLists;
        var map = _alloc.Map;
        var mainline = _alloc.Profile.MatchBuddyTypeOnMerge;
        foreach (var zone in _alloc.Zones)
        {
            long freePages = 0;
            for (var order = 0; order < MmConstants.NrPageOrders; order++)
            {
                long blocks = 0;
                for (var mt = 0; mt < MigrateTypes.Count; mt++)
                {
                    var list = _alloc.FreeListId(zone.Index, order, (MigrateType)mt);
                    var where = $"free_area[{order}].free_list[{MigrateTypes.Name((MigrateType)mt)}] of {zone.Name}";
                    var n = WalkList(v, lists, list, where, out var walked);
                    blocks += n;
                    foreach (var pfn in walked)
                    {
                        if (map.GetPageType(pfn) != PageType.Buddy)
                        {
                            Add(v, $"{where}: pfn {pfn:x} is not PageBuddy ({map.GetPageType(pfn)})");
                        }

                        if (map.GetOrder(pfn) != order)
                        {
                            Add(v, $"{where}: pfn {pfn:x} has buddy order {map.GetOrder(pfn)}");
                        }

                        if (_alloc.FreeListTypeOf(pfn) != (MigrateType)mt)
                        {
                            Add(v, $"{where}: pfn {pfn:x} records list type {_alloc.FreeListTypeOf(pfn)}");
                        }

                        if ((pfn & ((1 << order) - 1)) != 0)
                        {
                            Add(v, $"{where}: pfn {pfn:x} is not aligned to its order");
                        }

                        if (!zone.Contains(pfn) || !zone.Contains(pfn + (1 << order) - 1))
                        {
                            Add(v, $"{where}: block {pfn:x} order {order} is not inside the zone");
                        }

                        if (mainline && mt != (int)MigrateType.Isolate && _alloc.PageblockType(pfn) != (MigrateType)mt)
                        {
                            Add(v, $"{where}: block {pfn:x} sits on the {MigrateTypes.Name((MigrateType)mt)} list but its pageblock is {MigrateTypes.Name(_alloc.PageblockType(pfn))}");
                        }

                        heads[pfn >> 6] |= 1UL << (pfn & 63);
                        Cover(v, covered, pfn, order, where);
                        if (mt != (int)MigrateType.Isolate)
                        {
                            freePages += 1L << order;
                        }
                    }
                }

                if (blocks != _alloc.FreeBlocks(zone.Index, order))
                {
                    Add(v, $"{zone.Name} order {order}: nr_free {_alloc.FreeBlocks(zone.Index, order)} but the lists hold {blocks}");
                }
            }

            if (freePages != zone.FreePages)
            {
                Add(v, $"{zone.Name}: NR_FREE_PAGES {zone.FreePages} but the lists hold {freePages} pages");
            }
        }
    }

    private void CheckPcpLists(List<string> v, ulong[] covered, ulong[] heads)
    {
        var pcp = _alloc.Pcp;
        var map = _alloc.Map;
        for (var cpu = 0; cpu < pcp.Cpus; cpu++)
        {
            foreach (var zone in _alloc.Zones)
            {
                var id = pcp.PcpId(cpu, zone.Index);
                long pages = 0;
                for (var pindex = 0; pindex < pcp.ListsPerPcp; pindex++)
                {
                    var order = PerCpuPages.PindexToOrder(pindex);
                    var where = $"pcp list {pindex} of cpu {cpu} {zone.Name}";
                    WalkList(v, pcp.Lists, pcp.ListId(id, pindex), where, out var walked);
                    foreach (var pfn in walked)
                    {
                        if (map.GetPageType(pfn) != PageType.Pcp || map.GetOrder(pfn) != order)
                        {
                            Add(v, $"{where}: pfn {pfn:x} is {map.GetPageType(pfn)} order {map.GetOrder(pfn)}, expected a pcp page of order {order}");
                        }

                        if (!zone.Contains(pfn))
                        {
                            Add(v, $"{where}: pfn {pfn:x} is outside the zone");
                        }

                        heads[pfn >> 6] |= 1UL << (pfn & 63);
                        Cover(v, covered, pfn, order, where);
                        pages += 1L << order;
                    }
                }

                var count = pcp.State(id).Count;
                if (pages != count)
                {
                    Add(v, $"pcp of cpu {cpu} {zone.Name}: count {count} but the lists hold {pages} pages");
                }
            }
        }
    }

    private void CheckPages(List<string> v, ulong[] covered, ulong[] heads)
    {
        var map = _alloc.Map;
        var flags = map.Flags;
        const uint aliasBits = PageFlagAccessors.ReportedMask | PageFlagAccessors.ZeroedMask;
        for (var pfn = 0; pfn < map.PageCount; pfn++)
        {
            var isCovered = (covered[pfn >> 6] & (1UL << (pfn & 63))) != 0;
            var isHead = (heads[pfn >> 6] & (1UL << (pfn & 63))) != 0;
            var type = map.GetPageType(pfn);
            var pageFlags = flags[pfn] & MemMap.FlagMask;
            if (type == PageType.Isolated)
            {
                Cover(v, covered, pfn, map.GetOrder(pfn), "isolated block");
                var end = pfn + (1 << map.GetOrder(pfn)) - 1;
                for (var p = pfn + 1; p <= end && p < map.PageCount; p++)
                {
                    if ((flags[p] & MemMap.FlagMask) != 0)
                    {
                        Add(v, $"page {p:x} inside an isolated block has flags {flags[p] & MemMap.FlagMask:x}");
                    }
                }

                pfn = end;
                continue;
            }

            if (isHead)
            {
                if (type == PageType.Buddy && (pageFlags & ~aliasBits) != 0)
                {
                    Add(v, $"free block head {pfn:x} has flags {pageFlags & ~aliasBits:x} besides PG_reported/PG_zeroed");
                }

                if (type == PageType.Pcp && (pageFlags & ~PageFlagAccessors.ZeroedMask) != 0)
                {
                    Add(v, $"pcp page {pfn:x} has flags {pageFlags & ~PageFlagAccessors.ZeroedMask:x} besides PG_zeroed");
                }

                continue;
            }

            if (isCovered)
            {
                if (type != PageType.None)
                {
                    Add(v, $"page {pfn:x} inside a free block has type {type}");
                }

                if (pageFlags != 0)
                {
                    Add(v, $"page {pfn:x} inside a free block has flags {pageFlags:x}");
                }

                continue;
            }

            if (type is PageType.Buddy or PageType.Pcp)
            {
                Add(v, $"page {pfn:x} is {type} but on no list");
            }
        }
    }

    /// <summary>Walks a list, checking its links; returns the number of entries.</summary>
    private int WalkList(List<string> v, PageLists lists, int list, string where, out List<int> entries)
    {
        entries = [];
        var expected = lists.Length[list];
        var prev = MemMap.NoPage;
        var p = lists.Head[list];
        var steps = 0;
        while (p != MemMap.NoPage)
        {
            if (steps > expected)
            {
                Add(v, $"{where}: more entries than its length {expected} (a cycle?)");
                return steps;
            }

            if (lists.Prev(p) != prev)
            {
                Add(v, $"{where}: pfn {p:x} has prev {lists.Prev(p):x}, expected {prev:x}");
            }

            entries.Add(p);
            prev = p;
            p = lists.Next(p);
            steps++;
        }

        if (lists.Tail[list] != prev)
        {
            Add(v, $"{where}: tail {lists.Tail[list]:x} is not the last entry {prev:x}");
        }

        if (steps != expected)
        {
            Add(v, $"{where}: length {expected} but {steps} entries");
        }

        return steps;
    }
}
