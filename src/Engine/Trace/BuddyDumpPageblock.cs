namespace EcsMm.Trace;

/// <summary>
/// A <c>B</c> line of a buddy dump: the migratetype of the pageblock holding <see cref="Pfn"/>. The dump walks
/// from <c>zone_start_pfn</c> in pageblock steps, so <see cref="Pfn"/> may be unaligned (DMA starts at PFN 1);
/// <see cref="PageblockIndex"/> is the aligned pageblock number.
/// </summary>
public readonly record struct BuddyDumpPageblock(long Pfn, int Migratetype)
{
    /// <summary>pageblock_order on x86-64 with 4 KiB pages.</summary>
    public const int PageblockOrder = 9;

    /// <summary><c>Pfn &gt;&gt; pageblock_order</c>.</summary>
    public long PageblockIndex => Pfn >> PageblockOrder;
}
