using EcsMm.Mm;

namespace EcsMm.Trace;

/// <summary>
/// Exact replay between two snapshots of a real kernel: start from the first buddy dump's exact state and apply
/// the trace's events in order, pages moving caller ↔ pcp ↔ buddy as the events say, while merges and list
/// placement follow the model's own rules (__free_one_page, expand, the 6.1 fallback), and reporting isolation
/// and putback follow the kprobes. The result is compared with the second dump.
/// </summary>
public static class SnapshotReplay
{
    /// <summary>Replay from dump <paramref name="from"/> to dump <paramref name="to"/> over <paramref name="trace"/>.</summary>
    public static SnapshotComparison Run(TraceEvents trace, BuddyDump from, string fromName, BuddyDump to, string toName, KernelProfile? kernel = null)
    {
        var alloc = SnapshotLoader.Load(from, kernel);
        var start = trace.CapturePoint(fromName);
        var end = trace.CapturePoint(toName);
        if (end < start)
        {
            throw new ArgumentException($"snapshot {toName} comes before {fromName} in {trace.Source}");
        }

        var state = new ReplayState(alloc, trace.Events, start + 1, end + 1);
        state.Run();
        var result = SnapshotComparer.Compare(alloc, to, state.Anomalies);
        result.InferredBulkAllocations = state.InferredBulkAllocations;
        result.EventsApplied = end - start;
        return result;
    }

    /// <summary>The snapshot name of a dump file: buddydump.&lt;name&gt;.txt[.gz].</summary>
    public static string SnapshotName(string dumpPath)
    {
        var file = Path.GetFileName(dumpPath);
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            file = file[..^3];
        }

        if (file.EndsWith(".txt", StringComparison.Ordinal))
        {
            file = file[..^4];
        }

        return file.StartsWith("buddydump.", StringComparison.Ordinal) ? file["buddydump.".Length..] : file;
    }

    private sealed class ReplayState(PageAlloc alloc, List<TraceEvent> events, int first, int last)
    {
        private readonly HashSet<int> _pendingFrees = [];
        private bool[] _freeGoesToBatch = [];

        private int _lastRefillList = -1;

        public List<string> Anomalies { get; } = [];

        /// <summary>Pages the kernel took from a pcp list without a trace event (alloc_pages_bulk), inferred.</summary>
        public int InferredBulkAllocations { get; private set; }

        public void Run()
        {
            _freeGoesToBatch = ScanBatchedFrees();
            for (var i = first; i < last; i++)
            {
                Apply(events[i], i);
            }
        }

        /// <summary>
        /// free_unref_page_list() traces mm_page_free for every page first (free_pages_prepare), then commits each
        /// to the pcp list at its mm_page_free_batched. A free followed by a batched event of the same page (before
        /// the page is allocated again) is committed there, not at the mm_page_free.
        /// </summary>
        private bool[] ScanBatchedFrees()
        {
            var result = new bool[last - first];
            var nextBatched = new HashSet<long>();
            for (var i = last - 1; i >= first; i--)
            {
                var ev = events[i];
                switch (ev.Kind)
                {
                    case TraceEventKind.PageFreeBatched:
                        nextBatched.Add(ev.Pfn);
                        break;
                    case TraceEventKind.PageAlloc:
                    case TraceEventKind.PageAllocZoneLocked:
                        nextBatched.Remove(ev.Pfn);
                        break;
                    case TraceEventKind.PageFree when ev.Order == 0:
                        result[i - first] = nextBatched.Remove(ev.Pfn);
                        break;
                }
            }

            return result;
        }

        private void Note(in TraceEvent ev, string what)
        {
            if (Anomalies.Count < 50)
            {
                Anomalies.Add($"line {ev.LineNumber}: {what}");
            }
        }

        private void Apply(in TraceEvent ev, int index)
        {
            // A PFN the restored guest does not have (the dump and the trace are not from the same machine, or the
            // dump was cut short) is an anomaly to report, not a page to touch. Events without a PFN carry −1.
            if (ev.Pfn >= 0 && ev.Pfn + (1L << Math.Max(0, ev.Order)) > alloc.Map.PageCount)
            {
                Note(ev, $"pfn 0x{ev.Pfn:x} order {ev.Order}: outside the restored guest's {alloc.Map.PageCount} pages");
                return;
            }

            var pfn = (int)ev.Pfn;
            var refillList = -1;
            switch (ev.Kind)
            {
                case TraceEventKind.PageAllocZoneLocked:
                    if (ev.PercpuRefill && PerCpuPages.AllowedOrder(ev.Order) && ev.Migratetype < MigrateTypes.PcpTypes)
                    {
                        refillList = PcpListOf(ev, ev.Order, (MigrateType)ev.Migratetype);
                        if (refillList != _lastRefillList)
                        {
                            // rmqueue_bulk refills only an empty list: pages still on it were taken without a trace
                            // event (alloc_pages_bulk takes pcp pages silently).
                            DropSilentlyAllocated(refillList);
                        }
                    }

                    // __rmqueue_smallest: the block leaves buddy; the rest of the block goes to the heads of the lists.
                    if (!alloc.TakeFromBuddy(pfn, ev.Order, (MigrateType)ev.Migratetype))
                    {
                        Note(ev, $"mm_page_alloc_zone_locked pfn 0x{pfn:x} order {ev.Order}: not in a free block");
                        break;
                    }

                    if (ev.PercpuRefill)
                    {
                        alloc.AddToPcp(ev.Cpu < 0 ? 0 : ev.Cpu, pfn, ev.Order, (MigrateType)ev.Migratetype, tail: true);
                    }

                    break;

                case TraceEventKind.PageAlloc:
                    if (ev.Failed)
                    {
                        break;
                    }

                    if (alloc.Map.GetPageType(pfn) == PageType.Pcp && alloc.Map.GetOrder(pfn) == ev.Order)
                    {
                        alloc.RemoveFromPcp(pfn, ev.Order);
                    }
                    else if (alloc.FindFreeBlockHead(pfn, ev.Order, out _) >= 0)
                    {
                        Note(ev, $"mm_page_alloc pfn 0x{pfn:x} order {ev.Order}: still in buddy (no zone_locked event)");
                        alloc.TakeFromBuddy(pfn, ev.Order, null);
                    }

                    break;

                case TraceEventKind.PageFree:
                    if (PerCpuPages.AllowedOrder(ev.Order))
                    {
                        if (ev.Order == 0 && _freeGoesToBatch[index - first])
                        {
                            _pendingFrees.Add(pfn);
                        }
                        else
                        {
                            CommitToPcp(ev, pfn, ev.Order);
                        }
                    }
                    else if (alloc.Map.GetPageType(pfn) != PageType.None || alloc.FindFreeBlockHead(pfn, ev.Order, out _) >= 0)
                    {
                        Note(ev, $"mm_page_free of pfn 0x{pfn:x} order {ev.Order}: the block is already free");
                    }
                    else
                    {
                        alloc.FreeOnePage(pfn, ev.Order, FpiFlags.None);
                    }

                    break;

                case TraceEventKind.PageFreeBatched:
                    if (_pendingFrees.Remove(pfn))
                    {
                        CommitToPcp(ev, pfn, 0);
                    }
                    else
                    {
                        Note(ev, $"mm_page_free_batched pfn 0x{pfn:x} without a preceding mm_page_free");
                    }

                    break;

                case TraceEventKind.PcpDrain:
                    if (alloc.Map.GetPageType(pfn) != PageType.Pcp)
                    {
                        Note(ev, $"mm_page_pcpu_drain pfn 0x{pfn:x}: not on a pcp list");
                        break;
                    }

                    alloc.RemoveFromPcp(pfn, ev.Order);
                    alloc.FreeOnePageCore(pfn, alloc.ZoneIndexOf(pfn), ev.Order, (MigrateType)ev.Migratetype, FpiFlags.None);
                    break;

                case TraceEventKind.AllocExtfrag:
                    // 6.1 __rmqueue_fallback traces after steal_suitable_fallback has moved the block.
                    if (!alloc.Map.PageBuddy(pfn) || alloc.Map.GetOrder(pfn) != ev.FallbackOrder)
                    {
                        Note(ev, $"mm_page_alloc_extfrag pfn 0x{pfn:x}: not a free block of order {ev.FallbackOrder}");
                        break;
                    }

                    alloc.StealSuitableFallback61(alloc.ZoneIndexOf(pfn), pfn, ev.FallbackOrder, (MigrateType)ev.AllocMigratetype,
                        PageAlloc.ShouldTryClaimBlock(ev.FallbackOrder, (MigrateType)ev.AllocMigratetype));
                    var owned = alloc.PageblockType(pfn) == (MigrateType)ev.AllocMigratetype;
                    if (owned != ev.ChangeOwnership)
                    {
                        Note(ev, $"mm_page_alloc_extfrag pfn 0x{pfn:x}: change_ownership={(ev.ChangeOwnership ? 1 : 0)} but the model's pageblock is {alloc.PageblockType(pfn)}");
                    }

                    break;

                case TraceEventKind.ReportIsolate:
                    if (!ReportingReplay.Isolate(alloc, pfn, ev.Order))
                    {
                        Note(ev, $"rep_isolate pfn 0x{pfn:x} order {ev.Order}: not a free block of that order");
                    }

                    break;

                case TraceEventKind.ReportPutback:
                    if (!ReportingReplay.Putback(alloc, pfn, ev.Order, (MigrateType)ev.Migratetype))
                    {
                        Note(ev, $"rep_putback pfn 0x{pfn:x}: not isolated");
                    }

                    break;
            }

            _lastRefillList = refillList;
        }

        private int PcpListOf(in TraceEvent ev, int order, MigrateType mt)
        {
            var pcp = alloc.Pcp.PcpId(ev.Cpu < 0 ? 0 : ev.Cpu, alloc.ZoneIndexOf((int)ev.Pfn));
            return alloc.Pcp.ListId(pcp, alloc.Pcp.OrderToPindex(mt, order));
        }

        private void DropSilentlyAllocated(int list)
        {
            var lists = alloc.Pcp.Lists;
            while (!lists.IsEmpty(list))
            {
                var p = lists.Head[list];
                alloc.RemoveFromPcp(p, alloc.Map.GetOrder(p));
                InferredBulkAllocations++;
            }
        }

        /// <summary>free_unref_page_commit (6.1): the head of the pcp list of the pageblock's type; Isolate goes to buddy.</summary>
        private void CommitToPcp(in TraceEvent ev, int pfn, int order)
        {
            if (alloc.Map.GetPageType(pfn) == PageType.Pcp && alloc.Map.GetOrder(pfn) == order)
            {
                // Freed while the model has it on a pcp list: the kernel took it with alloc_pages_bulk, untraced.
                alloc.RemoveFromPcp(pfn, order);
                InferredBulkAllocations++;
            }

            if (alloc.Map.GetPageType(pfn) != PageType.None || alloc.FindFreeBlockHead(pfn, order, out _) >= 0)
            {
                Note(ev, $"free of pfn 0x{pfn:x} order {order}: the page is already free ({alloc.Map.GetPageType(pfn)})");
                return;
            }

            var mt = alloc.PageblockType(pfn);
            if ((int)mt >= MigrateTypes.PcpTypes)
            {
                if (mt == MigrateType.Isolate)
                {
                    alloc.FreeOnePage(pfn, order, FpiFlags.None);
                    return;
                }

                mt = MigrateType.Movable;
            }

            alloc.AddToPcp(ev.Cpu < 0 ? 0 : ev.Cpu, pfn, order, mt, tail: false);
        }
    }
}
