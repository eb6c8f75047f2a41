namespace EcsMm.Mm;

/// <summary>
/// struct zone: a PFN range with its watermarks and free-page count. The free lists of a zone live in
/// <see cref="PageAlloc.FreeLists"/>, its per-cpu lists in <see cref="PerCpuPages"/>; both are indexed by <see cref="Index"/>.
/// </summary>
public sealed class Zone
{
    public Zone(int index, ZoneType type, int startPfn, int endPfn)
    {
        if (endPfn <= startPfn)
        {
            throw new ArgumentException($"zone {type} spans [{startPfn}, {endPfn}): empty");
        }

        Index = index;
        Type = type;
        StartPfn = startPfn;
        EndPfn = endPfn;
    }

    /// <summary>Position in the node's zone array (and in every per-zone table).</summary>
    public int Index { get; }

    public ZoneType Type { get; }

    /// <summary>The name /proc/buddyinfo prints: DMA, DMA32, Normal.</summary>
    public string Name => Type switch
    {
        ZoneType.Dma => "DMA",
        ZoneType.Dma32 => "DMA32",
        _ => "Normal",
    };

    /// <summary>zone_start_pfn.</summary>
    public int StartPfn { get; }

    /// <summary>zone_end_pfn(): one past the last PFN.</summary>
    public int EndPfn { get; }

    /// <summary>spanned_pages.</summary>
    public int SpannedPages => EndPfn - StartPfn;

    /// <summary>present_pages: pages that exist (holes excluded; the model has none beyond reserved ranges).</summary>
    public long PresentPages { get; internal set; }

    /// <summary>managed_pages: pages handed to the buddy allocator.</summary>
    public long ManagedPages { get; internal set; }

    /// <summary>NR_FREE_PAGES: pages on the buddy free lists (not on pcp lists, not isolated-type).</summary>
    public long FreePages { get; internal set; }

    /// <summary>_watermark[WMARK_MIN / LOW / HIGH] in pages.</summary>
    public long[] Watermarks { get; } = new long[3];

    public long WatermarkPages(Watermark mark) => Watermarks[(int)mark];

    /// <summary>
    /// ZONE_BELOW_HIGH (mainline): an allocation found the zone below its high watermark, so frees shrink pcp-&gt;high
    /// (nr_pcp_high); cleared by a pcp drain that leaves the zone above it again.
    /// </summary>
    public bool BelowHigh { get; internal set; }

    public bool Contains(int pfn) => pfn >= StartPfn && pfn < EndPfn;

    public override string ToString() => $"{Name} [{StartPfn:x}, {EndPfn:x})";
}
