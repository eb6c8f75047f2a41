using EcsMm.Mm;

namespace EcsMm.Trace;

/// <summary>Compares the allocator's state with a buddy dump: free blocks, their list positions, pcp contents.</summary>
public static class SnapshotComparer
{
    public static SnapshotComparison Compare(PageAlloc alloc, BuddyDump dump, IReadOnlyList<string>? anomalies = null)
    {
        var result = new SnapshotComparison { ReplayAnomalies = anomalies ?? [] };

        // Zones pair by name; a zone on one side only is a difference, not something to skip.
        for (var zi = 0; zi < alloc.Zones.Length; zi++)
        {
            var name = alloc.Zones[zi].Name;
            var zone = dump.Zones.FirstOrDefault(z => z.Name == name);
            if (zone is null)
            {
                result.ZonesUnmatched++;
                result.Note($"{name}: a zone of the guest, absent from the dump");
                continue;
            }

            CompareFreeLists(alloc, zi, zone, result);
            ComparePcp(alloc, zi, zone, result);
        }

        foreach (var z in dump.Zones.Where(z => !alloc.Zones.Any(m => m.Name == z.Name)))
        {
            result.ZonesUnmatched++;
            result.Note($"{z.Name}: a zone of the dump, absent from the guest");
        }

        return result;
    }

    private static void CompareFreeLists(PageAlloc alloc, int zi, BuddyDumpZone zone, SnapshotComparison r)
    {
        // Model: pfn → (order, mt, position, reported).
        var model = new Dictionary<long, (int Order, int Mt, int Position, bool Reported)>();
        for (var order = 0; order < MmConstants.NrPageOrders; order++)
        {
            for (var mt = 0; mt < MigrateTypes.Count; mt++)
            {
                var pos = 0;
                for (var p = alloc.FreeLists.Head[alloc.FreeListId(zi, order, (MigrateType)mt)]; p >= 0; p = alloc.FreeLists.Next(p))
                {
                    model[p] = (order, mt, pos++, alloc.Map.PageUptodate(p));
                }
            }
        }

        foreach (var b in zone.FreeBlocks)
        {
            if (!model.Remove(b.Pfn, out var m))
            {
                r.Missing++;
                r.Note($"{zone.Name}: missing free block pfn 0x{b.Pfn:x} order {b.Order} {MigrateTypes.Name((MigrateType)b.Migratetype)}");
                continue;
            }

            if (m.Order != b.Order || m.Mt != b.Migratetype || m.Reported != b.Reported)
            {
                r.Different++;
                r.Note($"{zone.Name}: pfn 0x{b.Pfn:x} is order {m.Order} {MigrateTypes.Name((MigrateType)m.Mt)} reported={m.Reported} in the model, order {b.Order} {MigrateTypes.Name((MigrateType)b.Migratetype)} reported={b.Reported} in the dump");
                continue;
            }

            r.Matching++;
            if (m.Position != b.Position)
            {
                r.Misplaced++;
                r.Note($"{zone.Name}: pfn 0x{b.Pfn:x} order {b.Order} at list position {m.Position} in the model, {b.Position} in the dump", misplaced: true);
            }
        }

        foreach (var (pfn, m) in model)
        {
            r.Extra++;
            r.Note($"{zone.Name}: extra free block pfn 0x{pfn:x} order {m.Order} {MigrateTypes.Name((MigrateType)m.Mt)}");
        }
    }

    private static void ComparePcp(PageAlloc alloc, int zi, BuddyDumpZone zone, SnapshotComparison r)
    {
        var pcp = alloc.Pcp;
        foreach (var group in zone.PcpPages.GroupBy(p => (p.Cpu, p.ListIndex)))
        {
            var expected = group.OrderBy(p => p.Position).Select(p => p.Pfn).ToList();
            var actual = new List<long>();
            if (group.Key.ListIndex < pcp.ListsPerPcp && group.Key.Cpu < pcp.Cpus)
            {
                for (var p = pcp.Lists.Head[pcp.ListId(pcp.PcpId(group.Key.Cpu, zi), group.Key.ListIndex)]; p >= 0; p = pcp.Lists.Next(p))
                {
                    actual.Add(p);
                }
            }

            r.PcpPagesInDump += expected.Count;
            if (actual.SequenceEqual(expected))
            {
                r.PcpListsMatching++;
                r.PcpPagesMatching += expected.Count;
            }
            else
            {
                var common = actual.Intersect(expected).Count();
                r.PcpPagesMatching += common;
                r.PcpListsDifferent++;
                r.Note($"{zone.Name}: pcp list {group.Key.ListIndex} of cpu {group.Key.Cpu}: {actual.Count} pages in the model, {expected.Count} in the dump, {common} in both");
            }
        }

        for (var cpu = 0; cpu < pcp.Cpus; cpu++)
        {
            for (var pindex = 0; pindex < pcp.ListsPerPcp; pindex++)
            {
                var list = pcp.ListId(pcp.PcpId(cpu, zi), pindex);
                if (!pcp.Lists.IsEmpty(list) && !zone.PcpPages.Any(p => p.Cpu == cpu && p.ListIndex == pindex))
                {
                    r.PcpListsDifferent++;
                    r.Note($"{zone.Name}: pcp list {pindex} of cpu {cpu} holds {pcp.Lists.Length[list]} pages in the model, none in the dump");
                }
            }
        }
    }
}

/// <summary>How a model state compares with a real dump.</summary>
public sealed class SnapshotComparison
{
    private readonly List<string> _differences = [];
    private readonly List<string> _misplacements = [];

    public int Matching { get; set; }

    public int Missing { get; set; }

    public int Extra { get; set; }

    /// <summary>Same PFN free in both, but order, migratetype or reported flag differ.</summary>
    public int Different { get; set; }

    /// <summary>Matching blocks at another position in their list.</summary>
    public int Misplaced { get; set; }

    public int PcpListsMatching { get; set; }

    public int PcpListsDifferent { get; set; }

    public int PcpPagesInDump { get; set; }

    public int PcpPagesMatching { get; set; }

    public IReadOnlyList<string> ReplayAnomalies { get; init; } = [];

    /// <summary>Pcp pages the replay inferred were taken by untraced bulk allocations (alloc_pages_bulk).</summary>
    public int InferredBulkAllocations { get; set; }

    /// <summary>Trace events between the two capture points.</summary>
    public int EventsApplied { get; set; }

    /// <summary>The first differences (missing, extra, different, pcp), for people.</summary>
    public IReadOnlyList<string> Differences => _differences;

    /// <summary>The first list-position differences.</summary>
    public IReadOnlyList<string> Misplacements => _misplacements;

    /// <summary>Zones present on one side only (the guest or the dump).</summary>
    public int ZonesUnmatched { get; set; }

    /// <summary>Every zone pairs up, and every free block, order, migratetype and reported flag matches.</summary>
    public bool FreeBlocksMatch => ZonesUnmatched == 0 && Missing == 0 && Extra == 0 && Different == 0;

    /// <summary>Free blocks, list positions and pcp lists all match.</summary>
    public bool ExactMatch => FreeBlocksMatch && Misplaced == 0 && PcpListsDifferent == 0;

    internal void Note(string text, bool misplaced = false)
    {
        var list = misplaced ? _misplacements : _differences;
        if (list.Count < 20)
        {
            list.Add(text);
        }
    }

    public override string ToString() =>
        $"free blocks: {Matching} matching, {Missing} missing, {Extra} extra, {Different} different, {Misplaced} misplaced; " +
        $"pcp lists: {PcpListsMatching} matching, {PcpListsDifferent} different ({PcpPagesMatching}/{PcpPagesInDump} pages); " +
        $"{EventsApplied} events, {InferredBulkAllocations} untraced bulk allocations inferred, {ReplayAnomalies.Count} anomalies";
}
