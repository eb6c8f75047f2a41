using System.IO.Compression;
using System.Text;
using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

public sealed class FtraceReaderTests
{
    private const string Prefix = "            init-1       [000] .....    11.278656: ";

    private static TraceEvent ParseOne(string line)
    {
        TraceEvent? ev = FtraceReader.ParseLine(line);
        Assert.NotNull(ev);
        return ev.Value;
    }

    [Fact]
    public void ParsesMmPageAllocWithPrefix()
    {
        var ev = ParseOne("            init-1       [000] .....    11.278656: mm_page_alloc: page=000000007629c84d pfn=0x6202 order=1 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO");
        Assert.Equal(TraceEventKind.PageAlloc, ev.Kind);
        Assert.Equal(11_278_656_000L, ev.TimestampNs);
        Assert.Equal(0, ev.Cpu);
        Assert.Equal(1, ev.Pid);
        Assert.Equal(0x6202, ev.Pfn);
        Assert.Equal(1, ev.Order);
        Assert.Equal(0, ev.Migratetype);
        Assert.Equal(GfpFlags.KernelAccount | GfpFlags.Zero, ev.GfpFlags);
        Assert.Equal("GFP_KERNEL_ACCOUNT|__GFP_ZERO", ev.GfpText);
        Assert.False(ev.GfpHasUnknownNames);
        Assert.False(ev.Failed);
    }

    [Fact]
    public void ParsesMmPageFreeAndFreeBatched()
    {
        var free = ParseOne("             cat-102     [000] .....    11.282505: mm_page_free: page=00000000cef27cbb pfn=0xe683 order=0");
        Assert.Equal(TraceEventKind.PageFree, free.Kind);
        Assert.Equal(0xe683, free.Pfn);
        Assert.Equal(0, free.Order);
        Assert.Equal(102, free.Pid);
        Assert.Equal(-1, free.Migratetype);

        var batched = ParseOne("             cat-102     [000] ...2.    11.282551: mm_page_free_batched: page=00000000cef27cbb pfn=0xe683 order=0");
        Assert.Equal(TraceEventKind.PageFreeBatched, batched.Kind);
        Assert.Equal(0xe683, batched.Pfn);
    }

    [Fact]
    public void ParsesZoneLockedPercpuRefillAndPcpDrain()
    {
        var refill = ParseOne("          insmod-117     [000] d..3.    11.910179: mm_page_alloc_zone_locked: page=00000000fad8c7c6 pfn=0xe687 order=0 migratetype=0 percpu_refill=1");
        Assert.Equal(TraceEventKind.PageAllocZoneLocked, refill.Kind);
        Assert.True(refill.PercpuRefill);
        Assert.Equal(0xe687, refill.Pfn);

        var direct = ParseOne("             cat-108     [000] d..1.    11.338100: mm_page_alloc_zone_locked: page=00000000154575e6 pfn=0xe700 order=8 migratetype=0 percpu_refill=0");
        Assert.False(direct.PercpuRefill);
        Assert.Equal(8, direct.Order);

        var drain = ParseOne("      alloc_once-166     [000] d..3.    20.332803: mm_page_pcpu_drain: page=00000000ce7adb24 pfn=0x12800 order=9 migratetype=1");
        Assert.Equal(TraceEventKind.PcpDrain, drain.Kind);
        Assert.Equal(0x12800, drain.Pfn);
        Assert.Equal(9, drain.Order);
        Assert.Equal(1, drain.Migratetype);
        Assert.Equal(166, drain.Pid);
    }

    [Fact]
    public void ParsesExtfragFallbackFields()
    {
        var ev = ParseOne("             cat-141     [000] d..1.    18.750595: mm_page_alloc_extfrag: page=00000000d57c07c3 pfn=0x3e400 alloc_order=8 fallback_order=10 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1");
        Assert.Equal(TraceEventKind.AllocExtfrag, ev.Kind);
        Assert.Equal(0x3e400, ev.Pfn);
        Assert.Equal(8, ev.AllocOrder);
        Assert.Equal(10, ev.FallbackOrder);
        Assert.Equal(0, ev.AllocMigratetype);
        Assert.Equal(1, ev.FallbackMigratetype);
        Assert.False(ev.Fragmenting);
        Assert.True(ev.ChangeOwnership);
    }

    [Fact]
    public void ParsesReportingKprobesWithPageToPfnConversion()
    {
        var process = ParseOne("     kworker/0:1-17      [000] .....    14.465325: rep_process: (page_reporting_process+0x0/0x570)");
        Assert.Equal(TraceEventKind.ReportProcess, process.Kind);
        Assert.Equal(17, process.Pid);
        Assert.Equal(-1, process.Pfn);

        // (0xffffea0000168000 - 0xffffea0000000000) / 64 = 0x5a00
        var isolate = ParseOne("     kworker/0:1-17      [000] d..1.    14.466064: rep_isolate: (__isolate_free_page+0x0/0x2b0) page=0xffffea0000168000 order=9");
        Assert.Equal(TraceEventKind.ReportIsolate, isolate.Kind);
        Assert.Equal(0x5a00, isolate.Pfn);
        Assert.Equal(9, isolate.Order);

        // (0xffffea0000580000 - 0xffffea0000000000) / 64 = 0x16000
        var putback = ParseOne("     kworker/0:1-17      [000] d..1.    14.467817: rep_putback: (__putback_isolated_page+0x0/0x50) page=0xffffea0000580000 order=10 mt=1");
        Assert.Equal(TraceEventKind.ReportPutback, putback.Kind);
        Assert.Equal(0x16000, putback.Pfn);
        Assert.Equal(10, putback.Order);
        Assert.Equal(1, putback.Migratetype);

        var report = ParseOne("     kworker/0:1-17      [000] .....    14.466846: vb_report: (virtballoon_free_page_report+0x0/0x120 [virtio_balloon]) nents=32");
        Assert.Equal(TraceEventKind.BalloonReport, report.Kind);
        Assert.Equal(32, report.Entries);
    }

    [Theory]
    [InlineData("MARK snap 00_boot", TraceMarkKind.Snapshot, "00_boot")]
    [InlineData("MARK buddydump 10_thp_always_64.i1.pre begin", TraceMarkKind.BuddyDumpBegin, "10_thp_always_64.i1.pre")]
    [InlineData("MARK buddydump 10_thp_always_64.i1.pre end", TraceMarkKind.BuddyDumpEnd, "10_thp_always_64.i1.pre")]
    [InlineData("MARK run 10_thp_always_64 thp=always size=64 iter=1 start", TraceMarkKind.RunStart, "10_thp_always_64")]
    [InlineData("MARK run 10_thp_always_64 thp=always size=64 iter=1 end rc=0", TraceMarkKind.RunEnd, "10_thp_always_64")]
    [InlineData("MARK kpage dump 00_boot begin", TraceMarkKind.KpageDumpBegin, "00_boot")]
    [InlineData("MARK kpage dump 00_boot end", TraceMarkKind.KpageDumpEnd, "00_boot")]
    [InlineData("hello from user space", TraceMarkKind.Other, null)]
    public void ParsesMarks(string message, TraceMarkKind kind, string? name)
    {
        var ev = ParseOne(Prefix + "tracing_mark_write: " + message);
        Assert.Equal(TraceEventKind.Mark, ev.Kind);
        Assert.NotNull(ev.Mark);
        Assert.Equal(kind, ev.Mark.Kind);
        Assert.Equal(name, ev.Mark.Name);
        Assert.Equal(message, ev.Mark.Text);
    }

    [Fact]
    public void AcceptsBareEventLinesWithHexOrDecimalPfn()
    {
        var alloc = ParseOne("mm_page_alloc: page=... pfn=0x1f3 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE");
        Assert.Equal(TraceEventKind.PageAlloc, alloc.Kind);
        Assert.Equal(0x1f3, alloc.Pfn);
        Assert.Equal(-1, alloc.TimestampNs);
        Assert.Equal(-1, alloc.Cpu);
        Assert.Equal(-1, alloc.Pid);
        Assert.Equal(GfpFlags.HighUserMovable, alloc.GfpFlags);

        var free = ParseOne("mm_page_free: page=... pfn=499 order=3");
        Assert.Equal(499, free.Pfn);
        Assert.Equal(3, free.Order);
    }

    [Fact]
    public void NullPageMarksAFailedAllocationWithoutPfn()
    {
        var ev = ParseOne(Prefix + "mm_page_alloc: page=0000000000000000 pfn=0x0 order=10 migratetype=1 gfp_flags=GFP_TRANSHUGE_LIGHT|__GFP_NORETRY");
        Assert.True(ev.Failed);
        Assert.Equal(-1, ev.Pfn);
        Assert.Equal(10, ev.Order);
    }

    [Fact]
    public void SkipsAndCountsOtherEventsAndComments()
    {
        const string text = "# tracer: nop\n#\n"
            + "          <idle>-0       [000] d..2.    12.000001: sched_switch: prev_comm=swapper/0 prev_pid=0\n"
            + "          <idle>-0       [000] d..2.    12.000002: sched_switch: prev_comm=swapper/0 prev_pid=0\n"
            + "\n"
            + "mm_page_free: page=... pfn=0x10 order=0\n"
            + "kmalloc: call_site=foo ptr=0x1\n";
        using var reader = FtraceReader.FromText(text);
        var events = reader.ReadAll().ToList();
        Assert.Single(events);
        Assert.Equal(6, events[0].LineNumber);
        Assert.Equal(3, reader.Statistics.SkippedLines);
        Assert.Equal(3, reader.Statistics.CommentLines);
        Assert.Equal(2, reader.Statistics.SkippedByName["sched_switch"]);
        Assert.Equal(1, reader.Statistics.SkippedByName["kmalloc"]);
        Assert.Equal(7, reader.Statistics.Lines);
    }

    [Fact]
    public void HandlesCrLfAndAFinalLineWithoutNewline()
    {
        using var reader = FtraceReader.FromText("mm_page_free: page=... pfn=0x10 order=0\r\nmm_page_free: page=... pfn=0x12 order=1");
        var events = reader.ReadAll().ToList();
        Assert.Equal([0x10L, 0x12L], events.Select(e => e.Pfn));
        Assert.Equal(1, events[1].Order);
    }

    [Theory]
    [InlineData("mm_page_alloc: page=... pfn=0x1g3 order=0 migratetype=1 gfp_flags=GFP_USER", "'pfn=' as a non-negative PFN")]
    [InlineData("mm_page_alloc: page=... pfn=0x1f3 migratetype=1 gfp_flags=GFP_USER", "field 'order='")]
    [InlineData("mm_page_alloc: page=... pfn=0x1f3 order=11 migratetype=1 gfp_flags=GFP_USER", "'order=' as an order 0..10")]
    [InlineData("mm_page_free: page=... pfn=0x1f3 order=-1", "'order=' as an order 0..10")]
    [InlineData("mm_page_free: page=... pfn=-5 order=0", "'pfn=' as a non-negative PFN")]
    [InlineData("mm_page_alloc: page=... pfn=0x1f3 order=0 migratetype=6 gfp_flags=GFP_USER", "'migratetype=' as a migratetype 0..5")]
    [InlineData("mm_page_alloc: page=... pfn=0x1f3 order=0 migratetype=1", "field 'gfp_flags='")]
    [InlineData("mm_page_alloc: page=... pfn=0x1f3 order=0 migratetype=1 gfp_flags=GFP_USER||__GFP_ZERO", "'gfp_flags='")]
    [InlineData("mm_page_alloc_zone_locked: page=... pfn=0x1 order=0 migratetype=0 percpu_refill=2", "'percpu_refill=' as 0 or 1")]
    [InlineData("mm_page_alloc_extfrag: page=... pfn=0x1 alloc_order=8 fallback_order=12 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1", "'fallback_order=' as an order 0..10")]
    [InlineData("rep_isolate: (__isolate_free_page+0x0/0x2b0) page=0xffff888000168000 order=9", "struct page pointer")]
    [InlineData("rep_putback: (__putback_isolated_page+0x0/0x50) page=0xffffea0000580010 order=10 mt=1", "struct page pointer")]
    [InlineData("rep_putback: (__putback_isolated_page+0x0/0x50) page=0xffffea0000580000 order=10", "field 'mt='")]
    [InlineData("vb_report: (virtballoon_free_page_report+0x0/0x120 [virtio_balloon]) nents=x", "'nents='")]
    [InlineData("tracing_mark_write: MARK snap", "'MARK snap <name>'")]
    [InlineData("tracing_mark_write: MARK buddydump 00_boot middle", "'MARK buddydump <name> begin|end'")]
    [InlineData("tracing_mark_write: MARK run 10_thp_always_64 thp=always", "'MARK run <name> ... start|end'")]
    [InlineData("this is not a trace line", "'TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS'")]
    [InlineData("CPU:0 [LOST 1234 EVENTS]", "no lost events")]
    [InlineData("            init-1       [000] .....    11.2x8656: mm_page_free: page=... pfn=0x1 order=0", "a timestamp")]
    public void MalformedLineOfAKnownEventNamesFileLineAndExpectation(string badLine, string expected)
    {
        string text = "# tracer: nop\nmm_page_free: page=... pfn=0x10 order=0\n" + badLine + "\n";
        using var reader = FtraceReader.FromText(text, "bad.trace");
        var ex = Assert.Throws<TraceFormatException>(() => reader.ReadAll().ToList());
        Assert.Equal("bad.trace", ex.Source);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith("bad.trace:3: expected ", ex.Message);
    }

    [Fact]
    public void DetectsGzipByMagicBytesNotByName()
    {
        const string text = "mm_page_free: page=... pfn=0x10 order=0\nmm_page_free: page=... pfn=0x11 order=0\n";
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(Encoding.ASCII.GetBytes(text));
        }

        Assert.True(TraceInput.IsGzipMagic(compressed.ToArray()));
        compressed.Position = 0;
        using var fromGzip = new FtraceReader(compressed, "trace.txt");
        Assert.Equal([0x10L, 0x11L], fromGzip.ReadAll().Select(e => e.Pfn));

        using var fromPlain = new FtraceReader(new MemoryStream(Encoding.ASCII.GetBytes(text)), "trace.txt.gz");
        Assert.Equal([0x10L, 0x11L], fromPlain.ReadAll().Select(e => e.Pfn));
        Assert.False(TraceInput.IsGzipMagic(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void ShippedTraceParsesWithoutErrorsAndWithTheGreppedCounts()
    {
        using var reader = FtraceReader.Open(TraceData.TracePath);
        long zeroing = 0, order9Allocs = 0, refills = 0, ownershipChanges = 0, failed = 0, unknownGfp = 0;
        var marks = new Dictionary<TraceMarkKind, int>();
        TraceEvent first = default;
        foreach (TraceEvent ev in reader.ReadAll())
        {
            if (first.LineNumber == 0)
            {
                first = ev;
            }

            switch (ev.Kind)
            {
                case TraceEventKind.PageAlloc:
                    zeroing += (ev.GfpFlags & GfpFlags.Zero) != 0 ? 1 : 0;
                    order9Allocs += ev.Order == 9 ? 1 : 0;
                    failed += ev.Failed ? 1 : 0;
                    unknownGfp += ev.GfpHasUnknownNames ? 1 : 0;
                    break;
                case TraceEventKind.PageAllocZoneLocked:
                    refills += ev.PercpuRefill ? 1 : 0;
                    break;
                case TraceEventKind.AllocExtfrag:
                    ownershipChanges += ev.ChangeOwnership ? 1 : 0;
                    break;
                case TraceEventKind.Mark:
                    marks[ev.Mark!.Kind] = marks.GetValueOrDefault(ev.Mark.Kind) + 1;
                    break;
            }
        }

        TraceStatistics stats = reader.Statistics;

        // zcat trace.txt.gz | wc -l  ->  356863 ; grep -c '^#'  ->  12
        Assert.Equal(356_863, stats.Lines);
        Assert.Equal(12, stats.CommentLines);
        Assert.Equal(0, stats.SkippedLines);

        // zcat trace.txt.gz | grep -v '^#' | sed -E 's/^.*\[[0-9]+\] [^ ]+ +[0-9.]+: ([^:]+):.*$/\1/' | sort | uniq -c
        Assert.Equal(83_132, stats.Count(TraceEventKind.PageAlloc));
        Assert.Equal(82_917, stats.Count(TraceEventKind.PageFree));
        Assert.Equal(81_150, stats.Count(TraceEventKind.PageFreeBatched));
        Assert.Equal(53_991, stats.Count(TraceEventKind.PageAllocZoneLocked));
        Assert.Equal(54_984, stats.Count(TraceEventKind.PcpDrain));
        Assert.Equal(8, stats.Count(TraceEventKind.AllocExtfrag));
        Assert.Equal(10, stats.Count(TraceEventKind.ReportProcess));
        Assert.Equal(273, stats.Count(TraceEventKind.ReportIsolate));
        Assert.Equal(273, stats.Count(TraceEventKind.ReportPutback));
        Assert.Equal(13, stats.Count(TraceEventKind.BalloonReport));
        Assert.Equal(100, stats.Count(TraceEventKind.Mark));
        Assert.Equal(356_851, stats.Events);

        // grep -c 'percpu_refill=1' -> 53967 ; grep -c 'change_ownership=1' -> 8
        Assert.Equal(53_967, refills);
        Assert.Equal(8, ownershipChanges);

        // grep -c ' mm_page_alloc: .*__GFP_ZERO' -> 62948 ; grep -c ' mm_page_alloc: .*order=9 ' -> 93
        Assert.Equal(62_948, zeroing);
        Assert.Equal(93, order9Allocs);
        Assert.Equal(0, failed);
        Assert.Equal(0, unknownGfp);

        // grep -c 'MARK snap' -> 20 ; 'MARK run .* start' -> 6 ; 40 buddydump and 28 kpage dump marks, half begin, half end
        Assert.Equal(20, marks[TraceMarkKind.Snapshot]);
        Assert.Equal(20, marks[TraceMarkKind.BuddyDumpBegin]);
        Assert.Equal(20, marks[TraceMarkKind.BuddyDumpEnd]);
        Assert.Equal(6, marks[TraceMarkKind.RunStart]);
        Assert.Equal(6, marks[TraceMarkKind.RunEnd]);
        Assert.Equal(14, marks[TraceMarkKind.KpageDumpBegin]);
        Assert.Equal(14, marks[TraceMarkKind.KpageDumpEnd]);
        Assert.False(marks.ContainsKey(TraceMarkKind.Other));

        // sed -n 13p: the first event line
        Assert.Equal(13, first.LineNumber);
        Assert.Equal(0x6202, first.Pfn);
        Assert.Equal(11_278_656_000L, first.TimestampNs);
    }

    [Fact]
    public void ShippedTraceReportingKprobesGiveOrderAlignedPfns()
    {
        using var reader = FtraceReader.Open(TraceData.TracePath);
        int checkedLines = 0;
        foreach (TraceEvent ev in reader.ReadAll())
        {
            if (ev.Kind is TraceEventKind.ReportIsolate or TraceEventKind.ReportPutback)
            {
                Assert.True(ev.Order >= 9, $"line {ev.LineNumber}: reporting order {ev.Order} below page_reporting_order 9");
                Assert.Equal(0, ev.Pfn & ((1L << ev.Order) - 1));
                Assert.InRange(ev.Pfn, 1, 262_143);
                checkedLines++;
            }
        }

        Assert.Equal(546, checkedLines);
    }

    [Fact]
    public void KprobePageConvertsToPfnAndBack()
    {
        Assert.True(KprobePage.TryToPfn(0xffffea0000168000UL, out long pfn));
        Assert.Equal(0x5a00, pfn);
        Assert.Equal(0xffffea0000168000UL, KprobePage.FromPfn(pfn));
        Assert.True(KprobePage.TryToPfn(KprobePage.VmemmapBase, out long zero));
        Assert.Equal(0, zero);
        Assert.False(KprobePage.TryToPfn(0xffff888000000000UL, out _));
        Assert.False(KprobePage.TryToPfn(0xffffea0000000020UL, out _));
    }
}
