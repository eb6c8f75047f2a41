namespace EcsMm.Mm;

/// <summary>How a guest's memory is laid out and which kernel it runs. A resource of the world.</summary>
public sealed record MemoryConfig
{
    /// <summary>Guest RAM in bytes (a multiple of 4 KiB).</summary>
    public long GuestBytes { get; init; } = 2L << 30;

    /// <summary>End of ZONE_DMA in bytes (16 MiB on x86-64). 0 for no DMA zone.</summary>
    public long DmaLimitBytes { get; init; } = 16L << 20;

    /// <summary>End of ZONE_DMA32 in bytes (4 GiB on x86-64). 0 for no DMA32 zone.</summary>
    public long Dma32LimitBytes { get; init; } = 4L << 30;

    /// <summary>
    /// PFN ranges memblock keeps (never handed to buddy): firmware, the kernel image, early allocations.
    /// The default reserves PFN 0 and the first MiB, and a 64 MiB kernel region at 16 MiB.
    /// </summary>
    public IReadOnlyList<PfnRange> Reserved { get; init; } = [new PfnRange(0, 256), new PfnRange(4096, 4096 + 16384)];

    /// <summary>
    /// Explicit zones (type and PFN span), e.g. taken from a real kernel's dump; null derives them from the limits
    /// above. Pages outside every zone are holes.
    /// </summary>
    public IReadOnlyList<ZoneSpec>? ZoneSpecs { get; init; }

    /// <summary>Number of CPUs with per-cpu lists.</summary>
    public int Cpus { get; init; } = 1;

    /// <summary>The kernel whose rules are followed where versions differ.</summary>
    public KernelProfile Kernel { get; init; } = KernelProfile.Mainline;

    /// <summary>
    /// THP enabled (always or madvise): khugepaged's set_recommended_min_free_kbytes() raises min_free_kbytes.
    /// </summary>
    public bool ThpEnabled { get; init; } = true;

    /// <summary>vm.watermark_scale_factor (default 10 = 0.1 %).</summary>
    public int WatermarkScaleFactor { get; init; } = 10;

    /// <summary>vm.min_free_kbytes override; null computes it as the kernel does.</summary>
    public long? MinFreeKbytes { get; init; }

    /// <summary>
    /// Per-cpu list high override (pages), like a manual vm.percpu_pagelist_high_fraction: high_min = high_max = this
    /// value, so mainline's auto-tuning is off. Null computes zone_highsize(): high_min from the zone's low watermark,
    /// high_max (mainline) from managed pages / 8, each divided among the CPUs and at least 4 × batch.
    /// </summary>
    public int? PcpHigh { get; init; }

    /// <summary>
    /// vm.percpu_pagelist_high_fraction: 0 (the default) lets mainline auto-tune pcp high; N ≥ 8 fixes high_min =
    /// high_max = managed / N per CPU (zone_highsize), turning auto-tuning off. <see cref="PcpHigh"/> overrides it.
    /// </summary>
    public int PercpuPagelistHighFraction { get; init; }

    /// <summary>Per-cpu list batch override; null uses zone_batchsize().</summary>
    public int? PcpBatch { get; init; }

    /// <summary>init_on_alloc boot parameter.</summary>
    public bool InitOnAlloc { get; init; }

    /// <summary>
    /// The v2 series ("skip redundant zeroing of host-zeroed reported pages") is applied: PG_reported and PG_zeroed
    /// survive splits, merges and claims, and post_alloc_hook consumes PG_zeroed. Off for plain kernels (6.1 replay).
    /// </summary>
    public bool SeriesApplied { get; init; } = true;

    /// <summary>Bugs planted by tests to prove the oracle catches them (<see cref="Truth.PlantedBugs"/>); None in every real run.</summary>
    public Truth.PlantedBugs Bugs { get; init; }

    /// <summary>init_on_free boot parameter.</summary>
    public bool InitOnFree { get; init; }

    public long PageCount => GuestBytes >> MmConstants.PageShift;

    /// <summary>
    /// A layout of one Normal zone covering [0, bytes / 4 KiB), every page free (the replay command's boot state).
    /// Memory is rounded up to a whole pageblock; the pages beyond the zone are a hole.
    /// </summary>
    public static MemoryConfig SingleZone(long bytes)
    {
        var pages = bytes >> MmConstants.PageShift;
        var rounded = (pages + MmConstants.PageblockNrPages - 1) & ~(MmConstants.PageblockNrPages - 1L);
        return new MemoryConfig
        {
            GuestBytes = rounded << MmConstants.PageShift,
            ZoneSpecs = [new ZoneSpec(ZoneType.Normal, 0, (int)Math.Min(pages, int.MaxValue))],
            Reserved = [],
            ThpEnabled = false,
        };
    }
}

/// <summary>An explicit zone: its type and its PFN span [StartPfn, EndPfn).</summary>
public readonly record struct ZoneSpec(ZoneType Type, int StartPfn, int EndPfn);

/// <summary>A half-open PFN range [Start, End).</summary>
public readonly record struct PfnRange(int Start, int End)
{
    public int Count => End - Start;

    public bool Contains(int pfn) => pfn >= Start && pfn < End;
}
