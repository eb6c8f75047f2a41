namespace EcsMm.Mm;

/// <summary>The seed's flush parameter (patch 16): report now, without waiting for the 2 s delay.</summary>
public sealed partial class PageReporting
{
    /// <summary>
    /// /sys/module/page_reporting/parameters/flush (seed patch 16, "flush parameter with page budget"): run
    /// reporting passes back to back, now, until a pass ends without asking for another (everything reportable is
    /// reported) or at least <paramref name="budget"/> pages were reported by this flush, checked between passes
    /// (0 = no limit). A "page" here is what page_reporting.c calls one: a scatterlist entry, i.e. one free block of
    /// order ≥ page_reporting_order, as PAGE_REPORTING_CAPACITY and the per-list budget count them. Any pending
    /// delayed work is cancelled first and rescheduled by the last pass if it still wants more; with no device
    /// registered the flush does nothing. The patch text was not available: the budget's unit and the
    /// between-passes check are this model's reading (UNVERIFIED; docs/seed-benchmark.md shows the seed table under
    /// the other reading, 4 KiB pages).
    /// </summary>
    /// <returns>4 KiB pages reported by the flush.</returns>
    public long Flush(long budget) => Flush(budget, FlushBudgetUnit.ReportedBlocks);

    /// <summary>
    /// <see cref="Flush(long)"/> with the budget counted in <paramref name="unit"/> (reported blocks, or 4 KiB
    /// pages for the alternative reading of patch 16).
    /// </summary>
    /// <returns>4 KiB pages reported by the flush.</returns>
    public long Flush(long budget, FlushBudgetUnit unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        if (!Registered)
        {
            return 0; // no device: the flush has nothing to drive
        }

        var pagesBefore = Stats.PagesReported;
        var blocksBefore = Stats.BlocksReportedTotal;
        while (true)
        {
            CancelWork();
            Process();
            var done = unit == FlushBudgetUnit.ReportedBlocks
                ? Stats.BlocksReportedTotal - blocksBefore
                : Stats.PagesReported - pagesBefore;
            if (State != PageReportingState.Requested || (budget > 0 && done >= budget))
            {
                return Stats.PagesReported - pagesBefore;
            }
        }
    }
}

/// <summary>What the flush parameter's budget counts (the seed's patch 16 was not available; see <see cref="PageReporting.Flush(long)"/>).</summary>
public enum FlushBudgetUnit
{
    /// <summary>Reported pages as page_reporting.c counts them: free blocks (scatterlist entries). The default reading.</summary>
    ReportedBlocks,

    /// <summary>4 KiB pages: 512 is one 2 MiB block.</summary>
    BasePages,
}
