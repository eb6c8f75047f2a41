using System.Globalization;
using System.Text;
using EcsMm.Mm;
using EcsMm.Trace;

namespace EcsMm.Scenarios.Output;

/// <summary>
/// The allocator's state in the kernel's own /proc text formats (mm/vmstat.c), node 0, populated zones only
/// (walk_zones_in_node with assert_populated).
/// </summary>
public static class ProcFormats
{
    /// <summary>/proc/buddyinfo: frag_show_print, "Node %d, zone %8s " then "%6lu " per order, newline.</summary>
    public static string BuddyInfo(PageAlloc alloc)
    {
        var text = new StringBuilder();
        Span<long> counts = stackalloc long[MmConstants.NrPageOrders];
        foreach (var z in alloc.Zones)
        {
            if (z.PresentPages == 0)
            {
                continue;
            }

            for (var o = 0; o < counts.Length; o++)
            {
                counts[o] = alloc.FreeBlocks(z.Index, o);
            }

            text.Append(BuddyInfoReader.Format(0, z.Name, counts)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// /proc/pagetypeinfo: pagetypeinfo_show — the pageblock order header; pagetypeinfo_showfree (per zone and
    /// migratetype, "Node %4d, zone %8s, type %12s " then "%s%6lu " per order, the list walk capped at 100000 and
    /// printed with a "&gt;"); pagetypeinfo_showblockcount ("Number of blocks type " then per zone "%12lu " per type).
    /// The mixed-block section needs CONFIG_PAGE_OWNER and is not printed (as on kernels without it).
    /// </summary>
    public static string PageTypeInfo(PageAlloc alloc)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"Page block order: {MmConstants.PageblockOrder}\n");
        text.Append(inv, $"Pages per block:  {MmConstants.PageblockNrPages}\n");
        text.Append('\n');
        text.Append(inv, $"{"Free pages count per migrate type at order",-43} ");
        for (var o = 0; o < MmConstants.NrPageOrders; o++)
        {
            text.Append(inv, $"{o,6} ");
        }

        text.Append('\n');
        foreach (var z in alloc.Zones)
        {
            if (z.PresentPages == 0)
            {
                continue;
            }

            for (var mt = 0; mt < MigrateTypes.Count; mt++)
            {
                text.Append(inv, $"Node {0,4}, zone {z.Name,8}, type {MigrateTypes.Name((MigrateType)mt),12} ");
                for (var o = 0; o < MmConstants.NrPageOrders; o++)
                {
                    long count = alloc.FreeLists.Length[alloc.FreeListId(z.Index, o, (MigrateType)mt)];
                    var overflow = count >= 100000;
                    text.Append(inv, $"{(overflow ? ">" : "")}{(overflow ? 100000 : count),6} ");
                }

                text.Append('\n');
            }
        }

        text.Append(inv, $"\n{"Number of blocks type ",-23}");
        for (var mt = 0; mt < MigrateTypes.Count; mt++)
        {
            text.Append(inv, $"{MigrateTypes.Name((MigrateType)mt),12} ");
        }

        text.Append('\n');
        Span<long> blocks = stackalloc long[MigrateTypes.Count];
        foreach (var z in alloc.Zones)
        {
            if (z.PresentPages == 0)
            {
                continue;
            }

            blocks.Clear();
            for (var pfn = z.StartPfn; pfn < z.EndPfn; pfn += MmConstants.PageblockNrPages)
            {
                blocks[(int)alloc.PageblockType(pfn)]++;
            }

            text.Append(inv, $"Node {0}, zone {z.Name,8} ");
            foreach (var c in blocks)
            {
                text.Append(inv, $"{c,12} ");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// /proc/vmstat lines ("name value", vmstat_show) for the counters the model keeps under kernel names, in the
    /// kernel's order: nr_free_pages (zone stat), then the pgalloc_* events per zone type, then pgfree.
    /// </summary>
    public static string VmStat(PageAlloc alloc)
    {
        var inv = CultureInfo.InvariantCulture;
        long free = 0;
        foreach (var z in alloc.Zones)
        {
            free += z.FreePages;
        }

        var text = new StringBuilder();
        text.Append(inv, $"nr_free_pages {free}\n");
        text.Append(inv, $"pgalloc_dma {alloc.Stats.PgAlloc[(int)ZoneType.Dma]}\n");
        text.Append(inv, $"pgalloc_dma32 {alloc.Stats.PgAlloc[(int)ZoneType.Dma32]}\n");
        text.Append(inv, $"pgalloc_normal {alloc.Stats.PgAlloc[(int)ZoneType.Normal]}\n");
        text.Append(inv, $"pgfree {alloc.Stats.PgFree}\n");
        return text.ToString();
    }
}
