using System.Diagnostics.Metrics;
using EcsMm.Diagnostics;
using EcsMm.Mm;
using EcsMm.Tests.Mm;

namespace EcsMm.Tests.Diagnostics;

/// <summary>The "EcsMm" Meter: a MeterListener receives the allocator's counters as the simulation computed them.</summary>
public sealed class PageAllocMeterTests
{
    /// <summary>Collects the latest measurement of every instrument of one meter instance.</summary>
    private sealed class Collector : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Collector(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                // Other tests may create "EcsMm" meters in parallel: listen to this instance only.
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Values[instrument.Name] = value);
            _listener.Start();
        }

        public Dictionary<string, long> Values { get; } = new(StringComparer.Ordinal);

        public void Collect() => _listener.RecordObservableInstruments();

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public void TheMeterIsNamedEcsMm()
    {
        using var meter = new PageAllocMeter(TestAllocators.SingleZone());
        Assert.Equal("EcsMm", meter.Meter.Name);
    }

    [Fact]
    public void AListenerReceivesAllocationFreeMergeAndSplitCounts()
    {
        var alloc = TestAllocators.SingleZone();
        using var meter = new PageAllocMeter(alloc);
        using var collector = new Collector(meter.Meter);

        var pfns = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            pfns.Add(alloc.AllocPages(Gfp.HighUserMovable, 0).Pfn);
        }

        var big = alloc.AllocPages(Gfp.HighUserMovable, 10);
        Assert.True(big.Success);
        foreach (var pfn in pfns)
        {
            alloc.FreePages(pfn, 0);
        }

        alloc.FreePages(big.Pfn, 10);
        alloc.DrainAllPages();
        collector.Collect();

        Assert.Equal(41, collector.Values[PageAllocMeter.Allocations]);
        Assert.Equal(40 + 1024, collector.Values[PageAllocMeter.PagesAllocated]);
        Assert.Equal(40 + 1024, collector.Values[PageAllocMeter.PagesFreed]);
        Assert.Equal(0, collector.Values[PageAllocMeter.AllocationFailures]);
        Assert.True(collector.Values[PageAllocMeter.Merges] > 0);
        Assert.True(collector.Values[PageAllocMeter.Splits] > 0);
        Assert.Equal(alloc.Stats.BuddyMerges, collector.Values[PageAllocMeter.Merges]);
        Assert.Equal(alloc.Stats.BuddySplits, collector.Values[PageAllocMeter.Splits]);
        Assert.Equal(alloc.Stats.PcpRefills, collector.Values[PageAllocMeter.PcpRefills]);
        Assert.Equal(alloc.Stats.PcpDrainedPages, collector.Values[PageAllocMeter.PcpDrainedPages]);
    }

    [Fact]
    public void ZeroingPerformedAndSkippedFollowPostAllocHook()
    {
        var alloc = TestAllocators.SingleZone();
        using var meter = new PageAllocMeter(alloc);
        using var collector = new Collector(meter.Meter);

        // Order 10 bypasses the pcp lists: the block comes straight from buddy with its PG_zeroed hint.
        var first = alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 10);
        alloc.FreePages(first.Pfn, 10);
        var head = alloc.FreeLists.Head[alloc.FreeListId(0, 10, MigrateType.Movable)];
        alloc.Map.SetPageZeroedNonAtomic(head);
        var second = alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 10);
        Assert.Equal(PageHint.Zeroed, second.Hint);
        collector.Collect();

        Assert.Equal(1024, collector.Values[PageAllocMeter.ZeroingPerformed]);
        Assert.Equal(1024, collector.Values[PageAllocMeter.ZeroingSkipped]);
        Assert.Equal(0, collector.Values[PageAllocMeter.BadPages]);
    }

    [Fact]
    public void BadPagesAreCountedWhenTheFlagCheckAtFreeFails()
    {
        var alloc = TestAllocators.SingleZone();
        using var meter = new PageAllocMeter(alloc);
        using var collector = new Collector(meter.Meter);

        var page = alloc.AllocPages(Gfp.HighUserMovable, 0).Pfn;
        alloc.Map.SetPageLockedNonAtomic(page);
        Assert.False(alloc.FreePages(page, 0));
        collector.Collect();

        Assert.Equal(1, collector.Values[PageAllocMeter.BadPages]);
    }

    [Fact]
    public void ReportsAndCorruptionsAppearOnlyOnceASourceIsTracked()
    {
        var alloc = TestAllocators.SingleZone();
        using var meter = new PageAllocMeter(alloc);
        using var collector = new Collector(meter.Meter);
        collector.Collect();
        Assert.False(collector.Values.ContainsKey(PageAllocMeter.Reports));
        Assert.False(collector.Values.ContainsKey(PageAllocMeter.Corruptions));

        long reported = 512;
        long corrupt = 3;
        meter.TrackReports(() => reported);
        meter.TrackCorruptions(() => corrupt);
        collector.Collect();
        Assert.Equal(512, collector.Values[PageAllocMeter.Reports]);
        Assert.Equal(3, collector.Values[PageAllocMeter.Corruptions]);

        reported += 1024;
        collector.Collect();
        Assert.Equal(1536, collector.Values[PageAllocMeter.Reports]);
    }

    [Fact]
    public void ReportedPagesFollowAFreePageReportingFlush()
    {
        // Reporting skips a zone below low watermark + (PAGE_REPORTING_CAPACITY << order) = 64 MiB free: use 256 MiB.
        var alloc = TestAllocators.SingleZone(mib: 256);
        var reporting = new PageReporting(alloc, new EcsMm.Ecs.SimClock(), new AcceptingDevice());
        using var meter = new PageAllocMeter(alloc);
        meter.TrackReports(() => reporting.Stats.PagesReported);
        using var collector = new Collector(meter.Meter);

        collector.Collect();
        Assert.Equal(0, collector.Values[PageAllocMeter.Reports]);

        var flushed = reporting.Flush(0);
        collector.Collect();
        Assert.True(flushed > 0);
        Assert.Equal(flushed, collector.Values[PageAllocMeter.Reports]);
    }

    private sealed class AcceptingDevice : IPageReportingDevice
    {
        public int Order => -1;

        public bool HostZeroesPages => true;

        public int Report(ReadOnlySpan<ReportedBlock> blocks) => 0;
    }

    [Fact]
    public void NoListenerNoCollectionAndTheCountersStillAdvance()
    {
        var alloc = TestAllocators.SingleZone();
        using var meter = new PageAllocMeter(alloc);
        var r = alloc.AllocPages(Gfp.HighUserMovable, 3);
        alloc.FreePages(r.Pfn, 3);

        // A listener attached later reads the totals so far: the counters are the allocator's own.
        using var collector = new Collector(meter.Meter);
        collector.Collect();
        Assert.Equal(1, collector.Values[PageAllocMeter.Allocations]);
        Assert.Equal(8, collector.Values[PageAllocMeter.PagesFreed]);
    }
}
