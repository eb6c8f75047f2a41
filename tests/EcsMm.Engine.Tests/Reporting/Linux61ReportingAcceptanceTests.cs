using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Tests.Trace;
using EcsMm.Trace;
using EcsMm.Truth;
using EcsMm.Virt;

namespace EcsMm.Tests.Reporting;

/// <summary>
/// Acceptance: the real Linux 6.1 1 GiB guest (tests/.../data/linux-6.1-qemu). Starting from its 00_boot buddy dump,
/// the guest's own allocations and frees are replayed on the model with a virtio-balloon reporting device
/// registered; the model's free page reporting must do what the kernel's did before the 01_after_balloon_init
/// snapshot: passes 2 s apart, 2 report calls of 32 blocks per pass, 192 blocks (1 × order 9, 191 × order 10)
/// in 3 passes — and isolate the very same blocks in the same order as the rep_isolate kprobes show.
/// The replay: mm_page_alloc takes exactly the traced block (TakeBlock); a free goes through the model's free path
/// (pcp lists, __free_one_page), once — at its mm_page_free_batched when free_unref_page_list() traced both; a free
/// of a page the model still holds on a pcp list first takes it silently (alloc_pages_bulk has no trace event).
/// The registration time is not in the trace: it is the first page_reporting_process minus PAGE_REPORTING_DELAY.
/// </summary>
public sealed class Linux61ReportingAcceptanceTests
{
    private sealed record Observed(List<long> PassTimes, List<List<int>> CallSizes, List<ReportedBlock> Isolated)
    {
        /// <summary>The first page_reporting_process after the 01_after_balloon_init dump began.</summary>
        public long NextPassNs { get; set; }
    }

    private sealed record Outcome(PageReporting Reporting, Observed Kernel, long RegisteredNs, PageAlloc Alloc);

    private static Outcome Run(bool wholeCapture)
    {
        var alloc = SnapshotLoader.Load(TraceData.BuddyDumpPath("00_boot"));
        var clock = new SimClock();
        var host = new Host(alloc.Map, new HostConfig());
        var device = new VirtioBalloon(alloc, host, hostZeroesPages: false);
        var kernel = new Observed([], [], []);

        // Pass 1: what the kernel did (its reporting kprobes) and when the balloon registered: the first
        // page_reporting_process ran PAGE_REPORTING_DELAY after page_reporting_register().
        using (var reader = FtraceReader.Open(TraceData.TracePath))
        {
            var phase = DumpPhase.Before;
            while (reader.TryRead(out var ev))
            {
                var afterBoot = Advance(ref phase, ev);
                if (ev.Kind == TraceEventKind.Mark && ev.Mark is { } m)
                {

                    if (!wholeCapture && m.Kind == TraceMarkKind.BuddyDumpBegin && m.Name == "01_after_balloon_init")
                    {
                        while (reader.TryRead(out var later))
                        {
                            if (later.Kind == TraceEventKind.ReportProcess)
                            {
                                kernel.NextPassNs = later.TimestampNs;
                                break;
                            }
                        }

                        break;
                    }
                }

                if (!afterBoot)
                {
                    continue;
                }

                switch (ev.Kind)
                {
                    case TraceEventKind.ReportProcess:
                        kernel.PassTimes.Add(ev.TimestampNs);
                        kernel.CallSizes.Add([]);
                        break;
                    case TraceEventKind.BalloonReport:
                        kernel.CallSizes[^1].Add(ev.Entries);
                        break;
                    case TraceEventKind.ReportIsolate:
                        kernel.Isolated.Add(new ReportedBlock((int)ev.Pfn, ev.Order));
                        break;
                }
            }
        }

        var registered = kernel.PassTimes[0] - PageReporting.DefaultDelayNs;
        PageReporting? reporting = null;

        // Pass 2: the guest's allocations and frees between the two dumps, in time order.
        var events = new List<TraceEvent>();
        var startNs = 0L;
        var endNs = 0L;
        using (var reader = FtraceReader.Open(TraceData.TracePath))
        {
            var phase = DumpPhase.Before;
            while (reader.TryRead(out var ev))
            {
                var wasBefore = phase != DumpPhase.After;
                if (!Advance(ref phase, ev))
                {
                    continue;
                }

                if (wasBefore)
                {
                    // The dump's own buffer allocation: the state was read right after it, so it is already in the dump.
                    startNs = ev.TimestampNs;
                    continue;
                }

                endNs = ev.TimestampNs;
                if (!wholeCapture && ev.Kind == TraceEventKind.Mark && ev.Mark is { Kind: TraceMarkKind.BuddyDumpBegin, Name: "01_after_balloon_init" })
                {
                    break;
                }

                if (ev.Kind is TraceEventKind.PageAlloc or TraceEventKind.PageFree or TraceEventKind.PageFreeBatched)
                {
                    events.Add(ev);
                }
            }
        }

        // free_unref_page_list() traces mm_page_free for each page first and commits it to the pcp list at its
        // mm_page_free_batched: such a page is freed at the batched event, once.
        var committedLater = new bool[events.Count];
        var batchedAhead = new HashSet<long>();
        for (var i = events.Count - 1; i >= 0; i--)
        {
            var ev = events[i];
            switch (ev.Kind)
            {
                case TraceEventKind.PageFreeBatched:
                    batchedAhead.Add(ev.Pfn);
                    break;
                case TraceEventKind.PageAlloc:
                    batchedAhead.Remove(ev.Pfn);
                    break;
                case TraceEventKind.PageFree:
                    committedLater[i] = batchedAhead.Remove(ev.Pfn);
                    break;
            }
        }

        // Replay them; reporting runs on the model's clock from the registration on.
        clock.AdvanceTo(startNs);
        for (var i = 0; i < events.Count; i++)
        {
            var ev = events[i];
            if (reporting is null && ev.TimestampNs >= registered)
            {
                clock.AdvanceTo(registered);
                reporting = new PageReporting(alloc, clock, device) { RecordIsolations = true };
            }

            if (reporting is not null)
            {
                reporting.RunUntil(ev.TimestampNs);
            }
            else
            {
                clock.AdvanceTo(ev.TimestampNs);
            }

            switch (ev.Kind)
            {
                case TraceEventKind.PageAlloc when !ev.Failed:
                    Assert.True(alloc.TakeBlock((int)ev.Pfn, ev.Order), $"line {ev.LineNumber}: pfn 0x{ev.Pfn:x} order {ev.Order} is not free in the model");
                    break;
                case TraceEventKind.PageFree when !committedLater[i]:
                case TraceEventKind.PageFreeBatched:
                    if (alloc.RangeIsFree((int)ev.Pfn, 0))
                    {
                        // alloc_pages_bulk() takes pages from a pcp list without a trace event: take it silently.
                        Assert.True(alloc.TakeBlock((int)ev.Pfn, ev.Order), $"line {ev.LineNumber}: pfn 0x{ev.Pfn:x} partly free");
                    }

                    Assert.True(alloc.FreePages((int)ev.Pfn, ev.Order), $"line {ev.LineNumber}: free of pfn 0x{ev.Pfn:x} refused");
                    break;
            }
        }

        reporting!.RunUntil(endNs);
        return new Outcome(reporting!, kernel, registered, alloc);
    }

    private static readonly Lazy<Outcome> Result = new(() => Run(wholeCapture: false));

    private static readonly Lazy<Outcome> Whole = new(() => Run(wholeCapture: true));

    private enum DumpPhase
    {
        Before,
        InDump,
        After,
    }

    /// <summary>
    /// The 00_boot dump module allocates its order-8 buffer between the dump's begin and end marks and reads the
    /// allocator state right after that allocation; the events after it (inside the marks or not) come after the state.
    /// Returns true from the buffer's mm_page_alloc on.
    /// </summary>
    private static bool Advance(ref DumpPhase phase, in TraceEvent ev)
    {
        if (phase == DumpPhase.Before && ev.Kind == TraceEventKind.Mark && ev.Mark is { Kind: TraceMarkKind.BuddyDumpBegin, Name: "00_boot" })
        {
            phase = DumpPhase.InDump;
        }
        else if (phase == DumpPhase.InDump && ev.Kind == TraceEventKind.PageAlloc && ev.Order == 8)
        {
            phase = DumpPhase.After;
        }

        return phase == DumpPhase.After;
    }

    [Fact]
    public void KernelCaptureShowsThreePassesOfTwoFullCalls()
    {
        var k = Result.Value.Kernel;
        Assert.Equal(3, k.PassTimes.Count);
        Assert.All(k.CallSizes, calls => Assert.Equal([32, 32], calls));
        Assert.Equal(192, k.Isolated.Count);
        Assert.Equal(1, k.Isolated.Count(b => b.Order == 9));
        Assert.Equal(191, k.Isolated.Count(b => b.Order == 10));
    }

    [Fact]
    public void ModelRunsThreePassesTwoSecondsApart__page_reporting_process()
    {
        var r = Result.Value;
        var passes = r.Reporting.Stats.PassLog;
        Assert.Equal(3, passes.Count);
        for (var i = 0; i < passes.Count; i++)
        {
            Assert.Equal(r.RegisteredNs + ((i + 1) * PageReporting.DefaultDelayNs), passes[i].StartNs);

            // The kernel's kworker runs a little late each time; the model's pass falls within 50 ms of the real one.
            Assert.InRange(Math.Abs(passes[i].StartNs - r.Kernel.PassTimes[i]), 0, 50_000_000);
        }

        // Pass 3 ran out of budget with one order-10 block unreported: REQUESTED, next pass 2 s later; the kernel's
        // fourth page_reporting_process came at the same time.
        Assert.Equal(PageReportingState.Requested, r.Reporting.State);
        Assert.Equal(passes[2].StartNs + PageReporting.DefaultDelayNs, r.Reporting.WorkDueAtNs);
        Assert.InRange(Math.Abs(r.Reporting.WorkDueAtNs!.Value - r.Kernel.NextPassNs), 0, 50_000_000);
        Assert.Equal(3, r.Reporting.Stats.BudgetExhausted); // every pass stopped on the budget, which is what asks for the next one
    }

    [Fact]
    public void ModelMakesTwoCallsOf32BlocksPerPass__page_reporting_cycle()
    {
        var passes = Result.Value.Reporting.Stats.PassLog;
        Assert.All(passes, p => Assert.Equal([32, 32], p.CallSizes));
    }

    [Fact]
    public void ModelReports192Blocks_1Order9_191Order10()
    {
        var stats = Result.Value.Reporting.Stats;
        Assert.Equal(1, stats.BlocksReported[9]);
        Assert.Equal(191, stats.BlocksReported[10]);
        Assert.Equal(192, stats.BlocksReported.Sum());
        Assert.Equal([1, 0, 0], stats.PassLog.Select(p => p.Blocks[9]).ToArray());
        Assert.Equal([63, 64, 64], stats.PassLog.Select(p => p.Blocks[10]).ToArray());
    }

    [Fact]
    public void TheReplayedAllocatorStaysConsistent()
    {
        var alloc = Result.Value.Alloc;
        var violations = new InvariantChecker(alloc).Check();
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(10)));
        for (var l = 0; l < alloc.Pcp.Lists.ListCount; l++)
        {
            Assert.Equal(alloc.Pcp.Lists.Length[l] == 0, alloc.Pcp.Lists.IsEmpty(l));
        }
    }

    [Fact]
    public void ModelIsolatesTheSameBlocksInTheSameOrderAsTheKernel__isolate_free_page()
    {
        var r = Result.Value;
        Assert.Equal(r.Kernel.Isolated, r.Reporting.IsolationLog);
    }

    [Fact]
    public void ReportedFlagsMatchTheAfterBalloonInitDump__page_reporting_drain()
    {
        // Every block the kernel had marked PG_reported is free and reported in the model, and the model has no
        // other reported block. (Unreported blocks may differ: the model's pcp lists drain by its own rules.)
        var r = Result.Value;
        var dump = BuddyDumpReader.Read(TraceData.BuddyDumpPath("01_after_balloon_init"));
        var kernelReported = new HashSet<int>();
        foreach (var z in dump.Zones)
        {
            foreach (var f in z.FreeBlocks.Where(f => f.Reported))
            {
                kernelReported.Add((int)f.Pfn);
                Assert.True(r.Alloc.Map.PageBuddy((int)f.Pfn), $"pfn 0x{f.Pfn:x} is free in the dump, not in the model");
                Assert.Equal(f.Order, r.Alloc.Map.GetOrder((int)f.Pfn));
                Assert.True((r.Alloc.Map.Flags[(int)f.Pfn] & PageFlagAccessors.ReportedMask) != 0, $"pfn 0x{f.Pfn:x} not reported in the model");
            }
        }

        Assert.Equal(192, kernelReported.Count);
        var modelReported = 0;
        for (var p = 0; p < r.Alloc.Map.PageCount; p++)
        {
            if (r.Alloc.Map.PageBuddy(p) && (r.Alloc.Map.Flags[p] & PageFlagAccessors.ReportedMask) != 0)
            {
                modelReported++;
                Assert.Contains(p, kernelReported);
            }
        }

        Assert.Equal(192, modelReported);
    }

    /// <summary>
    /// The whole capture (three THP runs, three THP-never runs, 4 s pauses): the model runs the same 10 passes
    /// within 50 ms of the kernel's, its isolations are identical well past the first three passes, and most passes
    /// make the same report calls. Where they differ (after THP runs) the cause is upstream of reporting: the
    /// kernel kept freed THPs on its order-9 pcp list (see the data README), the model's pcp drained more of them,
    /// so more order-9/10 blocks were free to report.
    /// </summary>
    [Fact]
    public void WholeCaptureHasTheSamePassScheduleAndMostlyTheSameCalls__page_reporting_process()
    {
        var r = Whole.Value;
        var passes = r.Reporting.Stats.PassLog;
        Assert.Equal(r.Kernel.PassTimes.Count, passes.Count);
        var sameCalls = 0;
        for (var i = 0; i < passes.Count; i++)
        {
            Assert.InRange(Math.Abs(passes[i].StartNs - r.Kernel.PassTimes[i]), 0, 50_000_000);
            if (passes[i].CallSizes.SequenceEqual(r.Kernel.CallSizes[i]))
            {
                sameCalls++;
            }
        }

        var identical = 0;
        while (identical < Math.Min(r.Kernel.Isolated.Count, r.Reporting.IsolationLog.Count)
            && r.Kernel.Isolated[identical] == r.Reporting.IsolationLog[identical])
        {
            identical++;
        }

        // Regression floors, from the run that introduced this test (10 passes: 7 with identical calls; the first 194
        // isolations identical).
        Assert.True(sameCalls >= 7, $"{sameCalls} of {passes.Count} passes made the kernel's calls");
        Assert.True(identical >= 194, $"first {identical} isolations identical");
        var violations = new InvariantChecker(r.Alloc).Check();
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(10)));
    }
}
