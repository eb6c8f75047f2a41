using EcsMm.Mm;

namespace EcsMm.Trace;

/// <summary>
/// Decision agreement: from each real snapshot, the model's own allocator serves the trace's request stream (same
/// orders, migratetypes and GFP flags; frees mapped to the model's own blocks) until the next snapshot, and we count
/// the allocations for which it chose the same PFN as Linux did. Free page reporting's isolation and putback are
/// replayed from their kprobes where the model has the same free block; untraced bulk allocations and other CPUs'
/// activity are not, which bounds the agreement.
/// </summary>
public static class DecisionAgreement
{
    /// <summary>One interval between two snapshots.</summary>
    public sealed record Phase(string From, string To, int Allocations, int SamePfn, int Failed, int UnmappedFrees)
    {
        public double Share => Allocations == 0 ? 0 : (double)SamePfn / Allocations;
    }

    public static IReadOnlyList<Phase> Run(TraceEvents trace, IReadOnlyList<(string Name, BuddyDump Dump)> snapshots, KernelProfile? kernel = null)
    {
        var phases = new List<Phase>();
        for (var i = 0; i + 1 < snapshots.Count; i++)
        {
            phases.Add(RunPhase(trace, snapshots[i], snapshots[i + 1], kernel));
        }

        return phases;
    }

    private static Phase RunPhase(TraceEvents trace, (string Name, BuddyDump Dump) from, (string Name, BuddyDump Dump) next, KernelProfile? kernel)
    {
        var to = next.Name;
        var alloc = SnapshotLoader.Load(from.Dump, kernel);
        var start = trace.CapturePoint(from.Name) + 1;
        var end = trace.CapturePoint(to) + 1;
        var thpSwitch = ThpSwitchPoint(trace, from.Dump, next.Dump, kernel, start, end, out var thpOn);

        // Linux PFN → the model's block for the same request (a folio in the model's own memory).
        var mapped = new Dictionary<long, (int Pfn, int Order)>();
        var modelOwned = new HashSet<int>();
        int allocations = 0, same = 0, failed = 0, unmapped = 0;
        for (var i = start; i < end; i++)
        {
            if (i == thpSwitch)
            {
                alloc.SetThpEnabled(thpOn);
            }

            var ev = trace.Events[i];
            switch (ev.Kind)
            {
                case TraceEventKind.PageAlloc when !ev.Failed:
                {
                    allocations++;
                    var gfp = GfpMapping.ToModel(ev.GfpFlags) & ~(Gfp.Movable | Gfp.Reclaimable);
                    gfp |= ev.Migratetype switch
                    {
                        1 => Gfp.Movable,
                        2 => Gfp.Reclaimable,
                        _ => Gfp.None,
                    };
                    var r = alloc.AllocPages(gfp, ev.Order, ev.Cpu < 0 ? 0 : ev.Cpu);
                    if (!r.Success)
                    {
                        failed++;
                        break;
                    }

                    if (r.Pfn == ev.Pfn)
                    {
                        same++;
                    }

                    mapped[ev.Pfn] = (r.Pfn, ev.Order);
                    modelOwned.Add(r.Pfn);
                    break;
                }

                case TraceEventKind.PageFree:
                {
                    if (mapped.Remove(ev.Pfn, out var m))
                    {
                        modelOwned.Remove(m.Pfn);
                        alloc.FreePages(m.Pfn, m.Order);
                        break;
                    }

                    // Allocated before the snapshot: the same PFN is allocated in the model too, unless the model
                    // has since handed it to another request or it is free there.
                    var pfn = (int)ev.Pfn;
                    if (!modelOwned.Contains(pfn) && alloc.Map.GetPageType(pfn) == PageType.None && !alloc.RangeIsFree(pfn, ev.Order))
                    {
                        alloc.FreePages(pfn, ev.Order);
                    }
                    else
                    {
                        unmapped++;
                    }

                    break;
                }

                // Free page reporting is traced (kprobes): replay it where the model has the same free block, so
                // its isolation (which re-types the pageblock) and its putback to the list tail happen here too.
                case TraceEventKind.ReportIsolate:
                    ReportingReplay.Isolate(alloc, (int)ev.Pfn, ev.Order);
                    break;

                case TraceEventKind.ReportPutback:
                    ReportingReplay.Putback(alloc, (int)ev.Pfn, ev.Order, (MigrateType)ev.Migratetype);
                    break;
            }
        }

        return new Phase(from.Name, to, allocations, same, failed, unmapped);
    }

    /// <summary>
    /// A write to transparent_hugepage/enabled between two dumps shows only in their watermarks (the sysfs write and
    /// set_recommended_min_free_kbytes are not traced). The mode is the one whose rule
    /// (<see cref="PageAlloc.SetThpEnabled"/>, applied to the first dump) gives the second dump's watermarks exactly;
    /// none: no switch. THP on raises high a little and is applied at the start. THP off lowers it, and its first
    /// traced consequence is a pcp drain at the next free, which now finds the list over high: the switch is applied
    /// just before that free's first trace event (6.1 traces a list's pages with mm_page_free before committing them
    /// with mm_page_free_batched; the model frees at mm_page_free). Returns -1 when there is no switch.
    /// </summary>
    private static int ThpSwitchPoint(TraceEvents trace, BuddyDump from, BuddyDump to, KernelProfile? kernel, int start, int end, out bool thpOn)
    {
        thpOn = true;
        if (from.Zones.Zip(to.Zones).All(z => z.First.Min == z.Second.Min && z.First.Low == z.Second.Low && z.First.High == z.Second.High))
        {
            return -1;
        }

        bool Gives(bool on)
        {
            var probe = SnapshotLoader.Load(from, kernel);
            probe.SetThpEnabled(on);
            return to.Zones.Select((z, i) => (z, probe.Zones[i])).All(p =>
                p.Item2.Watermarks[(int)Watermark.Min] == p.z.Min && p.Item2.Watermarks[(int)Watermark.Low] == p.z.Low && p.Item2.Watermarks[(int)Watermark.High] == p.z.High);
        }

        if (Gives(true))
        {
            return start;
        }

        if (!Gives(false))
        {
            return -1;
        }

        thpOn = false;
        var events = trace.Events;
        var drain = -1;
        for (var i = start; i < end && drain < 0; i++)
        {
            drain = events[i].Kind == TraceEventKind.PcpDrain ? i : -1;
        }

        if (drain < 0)
        {
            return start;
        }

        var trigger = drain - 1;
        while (trigger >= start && events[trigger].Kind is not (TraceEventKind.PageFreeBatched or TraceEventKind.PageFree))
        {
            trigger--;
        }

        if (trigger >= start && events[trigger].Kind == TraceEventKind.PageFreeBatched)
        {
            var pfn = events[trigger].Pfn;
            while (trigger >= start && !(events[trigger].Kind == TraceEventKind.PageFree && events[trigger].Pfn == pfn))
            {
                trigger--;
            }
        }

        return Math.Max(trigger, start);
    }
}
