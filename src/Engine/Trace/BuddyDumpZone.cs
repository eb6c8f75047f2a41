namespace EcsMm.Trace;

/// <summary>
/// One zone of a buddy dump: the <c>Z</c> line's counters and watermarks, then its free blocks in list order,
/// its pcp pages and parameters, and its pageblock types, each in file order.
/// </summary>
public sealed class BuddyDumpZone
{
    internal BuddyDumpZone(string name, long startPfn, long spanned, long present, long managed, long nrFree, long min, long low, long high, long boost)
    {
        Name = name;
        StartPfn = startPfn;
        Spanned = spanned;
        Present = present;
        Managed = managed;
        NrFree = nrFree;
        Min = min;
        Low = low;
        High = high;
        Boost = boost;
    }

    /// <summary>The zone name (<c>DMA</c>, <c>DMA32</c>, <c>Normal</c>, ...).</summary>
    public string Name { get; }

    /// <summary><c>zone_start_pfn</c>.</summary>
    public long StartPfn { get; }

    /// <summary><c>spanned_pages</c>.</summary>
    public long Spanned { get; }

    /// <summary><c>present_pages</c>.</summary>
    public long Present { get; }

    /// <summary><c>zone_managed_pages</c>.</summary>
    public long Managed { get; }

    /// <summary>NR_FREE_PAGES (buddy pages only; pcp pages are not counted), read before the zone lock.</summary>
    public long NrFree { get; }

    /// <summary>The min watermark in pages.</summary>
    public long Min { get; }

    /// <summary>The low watermark in pages.</summary>
    public long Low { get; }

    /// <summary>The high watermark in pages.</summary>
    public long High { get; }

    /// <summary><c>watermark_boost</c>.</summary>
    public long Boost { get; }

    /// <summary>Every free block, ordered by order, then migratetype, then list position (head first).</summary>
    public List<BuddyDumpFreeBlock> FreeBlocks { get; } = [];

    /// <summary>Every page on a pcp list, ordered by CPU, list index, then position.</summary>
    public List<BuddyDumpPcpPage> PcpPages { get; } = [];

    /// <summary>Per-CPU pcp parameters.</summary>
    public List<BuddyDumpPcpParameters> PcpParameters { get; } = [];

    /// <summary>Pageblock migratetypes (empty when the dump was taken without <c>pfnblock_fn</c>).</summary>
    public List<BuddyDumpPageblock> Pageblocks { get; } = [];

    /// <summary>The number of free blocks per order (what <c>/proc/buddyinfo</c> prints), for orders 0..<paramref name="maxOrder"/>.</summary>
    public long[] FreeBlockCountsPerOrder(int maxOrder = 10)
    {
        long[] counts = new long[maxOrder + 1];
        foreach (BuddyDumpFreeBlock block in FreeBlocks)
        {
            counts[block.Order]++;
        }

        return counts;
    }

    /// <summary>The pages in free blocks: the sum of 2^order.</summary>
    public long FreePages()
    {
        long pages = 0;
        foreach (BuddyDumpFreeBlock block in FreeBlocks)
        {
            pages += 1L << block.Order;
        }

        return pages;
    }

    /// <summary>The pages on the pcp lists of <paramref name="cpu"/>: the sum of 2^order.</summary>
    public long PcpPagesOnCpu(int cpu)
    {
        long pages = 0;
        foreach (BuddyDumpPcpPage page in PcpPages)
        {
            if (page.Cpu == cpu)
            {
                pages += 1L << page.Order;
            }
        }

        return pages;
    }
}
