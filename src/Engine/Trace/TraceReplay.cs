using EcsMm.Mm;

namespace EcsMm.Trace;

/// <summary>
/// Exact replay of ftrace kmem events on a fresh guest (issue 3's <c>ecsmm replay TRACE --memory SIZE</c>): one zone
/// covering every page, all free at boot. Each <c>mm_page_alloc</c> takes exactly the PFN and order the kernel
/// chose (<see cref="PageAlloc.TakeBlock"/>: take_page_off_buddy, or the pcp entry); each <c>mm_page_free</c> /
/// <c>mm_page_free_batched</c> goes through the model's normal free path (pcp lists, __free_one_page). Other events
/// describe decisions the model makes itself and are skipped. At the end every pcp list is drained.
/// </summary>
public static class TraceReplay
{
    /// <summary>Replay the trace file at <paramref name="tracePath"/> (plain or gzip).</summary>
    public static ReplayOutcome ReplayFresh(string tracePath, long memoryBytes, KernelProfile? kernel = null)
    {
        if (!File.Exists(tracePath))
        {
            return ReplayOutcome.Fail(new ReplayError(tracePath, 0, "file not found"));
        }

        using var reader = FtraceReader.Open(tracePath);
        return ReplayFresh(reader, memoryBytes, kernel);
    }

    /// <summary>Replay the events of <paramref name="reader"/>.</summary>
    public static ReplayOutcome ReplayFresh(FtraceReader reader, long memoryBytes, KernelProfile? kernel = null)
    {
        if (memoryBytes < MmConstants.PageSize || (memoryBytes & (MmConstants.PageSize - 1)) != 0)
        {
            return ReplayOutcome.Fail(new ReplayError("--memory", 0, $"must be a positive multiple of 4 KiB (got {memoryBytes} bytes)"));
        }

        if ((memoryBytes >> MmConstants.PageShift) > int.MaxValue - MmConstants.PageblockNrPages)
        {
            return ReplayOutcome.Fail(new ReplayError("--memory", 0, $"{memoryBytes >> 20} MiB exceeds the model's {int.MaxValue} pages"));
        }

        var config = MemoryConfig.SingleZone(memoryBytes) with { Kernel = kernel ?? KernelProfile.Mainline, SeriesApplied = false };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config);
        alloc.Boot();
        var zonePages = alloc.Zones[0].EndPfn;
        var counts = new ReplayCounts();
        var allocated = new AllocatedPages(config.PageCount > int.MaxValue ? int.MaxValue : (int)config.PageCount);
        try
        {
            while (reader.TryRead(out var ev))
            {
                var error = Apply(alloc, allocated, ev, zonePages, counts, reader.SourceName);
                if (error is not null)
                {
                    return ReplayOutcome.Fail(error.Value, counts);
                }
            }
        }
        catch (TraceFormatException e)
        {
            var shown = e.LineText is { } t ? $" (line: '{t.Trim()}')" : string.Empty;
            return ReplayOutcome.Fail(new ReplayError(e.Source, e.LineNumber, $"expected {e.Expected}{shown}"), counts);
        }

        alloc.DrainAllPages();
        var buddyInfo = new long[MmConstants.NrPageOrders];
        for (var o = 0; o < buddyInfo.Length; o++)
        {
            buddyInfo[o] = alloc.FreeBlocks(0, o);
        }

        return new ReplayOutcome(alloc.Zones[0].Name, buddyInfo, counts, null, alloc);
    }

    private static ReplayError? Apply(PageAlloc alloc, AllocatedPages allocated, in TraceEvent ev, int zonePages, ReplayCounts counts, string source)
    {
        switch (ev.Kind)
        {
            case TraceEventKind.PageAlloc:
                if (ev.Failed)
                {
                    counts.FailedAllocations++;
                    return null;
                }

                if (Outside(ev, zonePages) is { } outside)
                {
                    return new ReplayError(source, ev.LineNumber, outside);
                }

                if (!alloc.TakeBlock((int)ev.Pfn, ev.Order))
                {
                    return new ReplayError(source, ev.LineNumber, $"mm_page_alloc of pfn 0x{ev.Pfn:x} order {ev.Order}: {WhyNotFree(alloc, (int)ev.Pfn, ev.Order)}");
                }

                allocated.Set((int)ev.Pfn, 1 << ev.Order);
                counts.Allocations++;
                if (ev.GfpHasUnknownNames)
                {
                    counts.UnknownGfpEvents++;
                    if (counts.FirstUnknownGfpLine == 0)
                    {
                        counts.FirstUnknownGfpLine = ev.LineNumber;
                    }
                }

                return null;

            case TraceEventKind.PageFree:
            case TraceEventKind.PageFreeBatched:
                if (Outside(ev, zonePages) is { } outside2)
                {
                    return new ReplayError(source, ev.LineNumber, outside2);
                }

                if (allocated.FirstNotAllocated((int)ev.Pfn, 1 << ev.Order) is var free && free >= 0)
                {
                    return new ReplayError(source, ev.LineNumber, $"{(ev.Kind == TraceEventKind.PageFree ? "mm_page_free" : "mm_page_free_batched")} of pfn 0x{ev.Pfn:x} order {ev.Order}: page 0x{free:x} is not allocated");
                }

                if (!alloc.FreePages((int)ev.Pfn, ev.Order))
                {
                    return new ReplayError(source, ev.LineNumber, $"mm_page_free of pfn 0x{ev.Pfn:x} order {ev.Order}: the page is bad (flags checked at free)");
                }

                allocated.Clear((int)ev.Pfn, 1 << ev.Order);
                counts.Frees++;
                return null;

            default:
                counts.Skipped++;
                return null;
        }
    }

    private static string? Outside(in TraceEvent ev, int zonePages)
    {
        if (ev.Order is < 0 or > MmConstants.MaxPageOrder)
        {
            return $"order {ev.Order} is above MAX_PAGE_ORDER (10)";
        }

        if (ev.Pfn < 0 || ev.Pfn + (1L << ev.Order) > zonePages)
        {
            return $"pfn 0x{ev.Pfn:x} order {ev.Order} is outside memory [0x0, 0x{zonePages:x})";
        }

        if ((ev.Pfn & ((1L << ev.Order) - 1)) != 0)
        {
            return $"pfn 0x{ev.Pfn:x} is not aligned to order {ev.Order}";
        }

        return null;
    }

    private static string WhyNotFree(PageAlloc alloc, int pfn, int order)
    {
        var end = pfn + (1 << order);
        for (var p = pfn; p < end; p++)
        {
            if (!alloc.RangeIsFree(p, 0))
            {
                return $"page 0x{p:x} is not free";
            }
        }

        return "the block is not free";
    }
}

/// <summary>What a replay did.</summary>
public sealed class ReplayCounts
{
    public long Allocations { get; set; }

    public long Frees { get; set; }

    public long FailedAllocations { get; set; }

    /// <summary>Events of other kinds (internal allocator decisions, marks), not applied.</summary>
    public long Skipped { get; set; }

    /// <summary>mm_page_alloc events whose gfp_flags named flags this reader does not know (replayed all the same: the PFN decides).</summary>
    public long UnknownGfpEvents { get; set; }

    /// <summary>The line of the first of <see cref="UnknownGfpEvents"/>, or 0.</summary>
    public long FirstUnknownGfpLine { get; set; }
}

/// <summary>A replay stopped: the source, the 1-based line and the reason.</summary>
public readonly record struct ReplayError(string Source, long Line, string Reason)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}: {Reason}" : $"{Source}: {Reason}";
}

/// <summary>The result of a replay: the final /proc/buddyinfo counts of the zone, or the error that stopped it.</summary>
public sealed record ReplayOutcome(string ZoneName, long[] BuddyInfo, ReplayCounts Counts, ReplayError? Error, PageAlloc? Allocator)
{
    public bool Success => Error is null;

    internal static ReplayOutcome Fail(ReplayError error, ReplayCounts? counts = null) => new(string.Empty, [], counts ?? new ReplayCounts(), error, null);

    /// <summary>The /proc/buddyinfo line of the zone.</summary>
    public string BuddyInfoLine() => BuddyInfoReader.Format(0, ZoneName, BuddyInfo);
}
