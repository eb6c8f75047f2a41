namespace EcsMm.Mm;

/// <summary>Free page reporting's counters (6.1 has no vmstat names for them; the names follow the functions).</summary>
public sealed class PageReportingStats
{
    /// <summary>page_reporting_process() runs (passes).</summary>
    public long Passes { get; set; }

    /// <summary>prdev-&gt;report() calls.</summary>
    public long ReportCalls { get; set; }

    /// <summary>Report calls that returned an error (blocks drained without PG_reported).</summary>
    public long ReportErrors { get; set; }

    /// <summary>Blocks handed to the device, per order.</summary>
    public long[] BlocksReported { get; } = new long[MmConstants.NrPageOrders];

    /// <summary>4 KiB pages handed to the device.</summary>
    public long PagesReported { get; set; }

    /// <summary>4 KiB pages handed to the device in blocks of <paramref name="order"/>.</summary>
    public long PagesReportedAtOrder(int order) => BlocksReported[order] << order;

    /// <summary>Blocks reported, every order.</summary>
    public long BlocksReportedTotal
    {
        get
        {
            long n = 0;
            foreach (var b in BlocksReported)
            {
                n += b;
            }

            return n;
        }
    }

    /// <summary>Blocks that merged at putback and so were not marked reported.</summary>
    public long MergedAtPutback { get; set; }

    /// <summary>Blocks marked PG_zeroed at drain (host_zeroes_pages, patch 10).</summary>
    public long BlocksMarkedZeroed { get; set; }

    /// <summary>__page_reporting_request() calls (notifications and budget exhaustion).</summary>
    public long Requests { get; set; }

    /// <summary>Zones skipped by the watermark gate (free &lt; low + capacity &lt;&lt; order).</summary>
    public long ZonesSkipped { get; set; }

    /// <summary>__isolate_free_page() refusals (the min watermark).</summary>
    public long IsolationFailures { get; set; }

    /// <summary>Lists left early because the per-list budget ran out (the state went back to REQUESTED).</summary>
    public long BudgetExhausted { get; set; }

    /// <summary>How many passes <see cref="PassLog"/> keeps (one every 2 s of simulated time: hours of it).</summary>
    public const int MaxLoggedPasses = 10_000;

    /// <summary>The first <see cref="MaxLoggedPasses"/> passes in order, with their start time, report calls and blocks per order.</summary>
    public List<PageReportingPass> PassLog { get; } = [];

    /// <summary>Passes after the log was full (counted in <see cref="Passes"/>, not logged), so long runs keep bounded memory.</summary>
    public long PassesNotLogged { get; set; }
}

/// <summary>One page_reporting_process() run.</summary>
public sealed class PageReportingPass
{
    public PageReportingPass(long startNs) => StartNs = startNs;

    /// <summary>Simulated time the pass ran.</summary>
    public long StartNs { get; }

    /// <summary>prdev-&gt;report() calls in this pass.</summary>
    public int ReportCalls { get; set; }

    /// <summary>Entries per report call, in order.</summary>
    public List<int> CallSizes { get; } = [];

    /// <summary>Blocks reported per order in this pass.</summary>
    public int[] Blocks { get; } = new int[MmConstants.NrPageOrders];
}
