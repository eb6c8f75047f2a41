namespace EcsMm.Virt;

/// <summary>The host's counters: discards, skipped discards, populates and refaults.</summary>
public sealed class HostStats
{
    /// <summary>ram_block_discard_range() calls that discarded something.</summary>
    public long DiscardCalls { get; set; }

    /// <summary>Host pages discarded (backing dropped).</summary>
    public long DiscardedHostPages { get; set; }

    /// <summary>Reported entries not discarded because discard was inhibited or a poison value was set.</summary>
    public long SkippedInhibitedOrPoison { get; set; }

    /// <summary>Reported entries ignored because start or length were not aligned to the host page size.</summary>
    public long SkippedUnaligned { get; set; }

    /// <summary>Host pages populated by a guest write (allocate and zero-fill), whether never touched or discarded.</summary>
    public long Populates { get; set; }

    /// <summary>Populates of host pages that had been discarded (the deferred cost of a discard).</summary>
    public long Refaults { get; set; }

    /// <summary>Guest 4 KiB reads of unbacked memory, served by the zero page.</summary>
    public long ZeroPageReads { get; set; }
}
