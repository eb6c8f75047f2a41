namespace EcsMm.Mm;

/// <summary>The seed's flush parameter (patch 16): report now, without waiting for the 2 s delay.</summary>
public sealed partial class PageReporting
{
    /// <summary>
    /// /sys/module/page_reporting/parameters/flush (seed patch 16, "flush parameter with page budget"): run
    /// reporting passes back to back, now, until a pass ends without asking for another (everything reportable is
    /// reported) or at least <paramref name="pageBudget"/> 4 KiB pages were reported by this flush (checked
    /// between passes; 0 = no limit). Any pending delayed work is cancelled first and rescheduled by the last pass
    /// if it still wants more. The patch text was not available: the unit of the budget (pages) and the
    /// between-passes check are this model's reading of the title (UNVERIFIED).
    /// </summary>
    /// <returns>Pages reported by the flush.</returns>
    public long Flush(long pageBudget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageBudget);
        var before = Stats.PagesReported;
        while (true)
        {
            CancelWork();
            Process();
            var done = Stats.PagesReported - before;
            if (State != PageReportingState.Requested || (pageBudget > 0 && done >= pageBudget))
            {
                return done;
            }
        }
    }
}
