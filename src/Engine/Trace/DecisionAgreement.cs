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
            phases.Add(RunPhase(trace, snapshots[i], snapshots[i + 1].Name, kernel));
        }

        return phases;
    }

    private static Phase RunPhase(TraceEvents trace, (string Name, BuddyDump Dump) from, string to, KernelProfile? kernel)
    {
        var alloc = SnapshotLoader.Load(from.Dump, kernel);
        var start = trace.CapturePoint(from.Name) + 1;
        var end = trace.CapturePoint(to) + 1;

        // Linux PFN → the model's block for the same request (a folio in the model's own memory).
        var mapped = new Dictionary<long, (int Pfn, int Order)>();
        var modelOwned = new HashSet<int>();
        int allocations = 0, same = 0, failed = 0, unmapped = 0;
        for (var i = start; i < end; i++)
        {
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
                {
                    var pfn = (int)ev.Pfn;
                    if (alloc.Map.PageBuddy(pfn) && alloc.Map.GetOrder(pfn) == ev.Order)
                    {
                        alloc.IsolateFreePage(pfn, ev.Order, checkWatermark: false);
                    }

                    break;
                }

                case TraceEventKind.ReportPutback:
                {
                    var pfn = (int)ev.Pfn;
                    if (alloc.Map.GetPageType(pfn) == PageType.Isolated
                        && alloc.PutbackIsolatedPage(pfn, ev.Order, (MigrateType)ev.Migratetype) == ev.Order)
                    {
                        alloc.Map.Flags[pfn] |= PageFlagAccessors.ReportedMask;
                    }

                    break;
                }
            }
        }

        return new Phase(from.Name, to, allocations, same, failed, unmapped);
    }
}
