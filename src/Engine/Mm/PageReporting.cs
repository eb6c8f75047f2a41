using EcsMm.Ecs;

namespace EcsMm.Mm;

/// <summary>
/// Free page reporting (mm/page_reporting.c, mm/page_reporting.h): the notification from __free_one_page, the
/// IDLE / REQUESTED / ACTIVE state machine with its 2 s delayed work on the <see cref="SimClock"/>, the per-zone
/// pass and the per-list cycle of fill (isolate) → report → drain (putback). One registered device
/// (page_reporting_register). The rule groups live in the partial files next to this one:
/// <c>PageReporting.Cycle.cs</c> (page_reporting_process / _process_zone / _cycle / _drain) and
/// <c>PageReporting.Flush.cs</c> (the seed's flush parameter, patch 16).
/// Abstracted: locks, RCU and the scatterlist allocation (kmalloc of the sgl never fails here).
/// </summary>
public sealed partial class PageReporting : IFreePageNotifier
{
    /// <summary>PAGE_REPORTING_CAPACITY: scatterlist entries (blocks) per report call.</summary>
    public const int DefaultCapacity = 32;

    /// <summary>PAGE_REPORTING_DELAY: 2 * HZ.</summary>
    public const long DefaultDelayNs = 2_000_000_000;

    private readonly ReportedBlock[] _sg;
    private readonly bool[] _initialized;
    private ClockEventId? _work;
    private PageReportingPass? _pass;

    /// <summary>
    /// page_reporting_register(): the order is the page_reporting_order parameter if set (0..MAX_PAGE_ORDER), else
    /// the device's order if valid, else pageblock_order. Sets IDLE, requests the initial pass (2 s later) and
    /// enables the notification in the allocator. Only one device may be registered per allocator (−EBUSY).
    /// </summary>
    public PageReporting(PageAlloc alloc, SimClock clock, IPageReportingDevice device, int? orderParameter = null, int capacity = DefaultCapacity, long delayNs = DefaultDelayNs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        if (alloc.ReportingNotifier is not null)
        {
            throw new InvalidOperationException("a page reporting device is already registered (-EBUSY)");
        }

        if (orderParameter is { } p && (uint)p > MmConstants.MaxPageOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(orderParameter), p, "page_reporting_order must be 0..MAX_PAGE_ORDER (10)");
        }

        Alloc = alloc;
        Clock = clock;
        Device = device;
        Capacity = capacity;
        DelayNs = delayNs;
        _sg = new ReportedBlock[capacity];
        _initialized = new bool[capacity];
        ReportingOrder = orderParameter
            ?? ((uint)device.Order <= MmConstants.MaxPageOrder ? device.Order : MmConstants.PageblockOrder);
        State = PageReportingState.Idle;
        Request();
        alloc.ReportingNotifier = this;
    }

    public PageAlloc Alloc { get; }

    /// <summary>PAGE_REPORTING_CAPACITY of this model (32 in the kernel).</summary>
    public int Capacity { get; }

    /// <summary>PAGE_REPORTING_DELAY of this model (2 s in the kernel).</summary>
    public long DelayNs { get; }

    /// <summary>This device is the allocator's registered reporting device (not unregistered).</summary>
    public bool Registered => ReferenceEquals(Alloc.ReportingNotifier, this);

    public SimClock Clock { get; }

    public IPageReportingDevice Device { get; }

    /// <summary>page_reporting_order.</summary>
    public int ReportingOrder { get; }

    public PageReportingState State { get; private set; }

    public PageReportingStats Stats { get; } = new();

    /// <summary>The delayed work fired and page_reporting_process() has not run yet (the Reporting phase runs it).</summary>
    public bool WorkDue { get; private set; }

    /// <summary>Time the delayed work is due, or null when none is scheduled.</summary>
    public long? WorkDueAtNs { get; private set; }

    /// <summary>Record every isolated block in <see cref="IsolationLog"/> (for comparing with a kernel trace).</summary>
    public bool RecordIsolations { get; set; }

    /// <summary>Blocks isolated, in order (only with <see cref="RecordIsolations"/>).</summary>
    public List<ReportedBlock> IsolationLog { get; } = [];

    /// <summary>page_reporting_notify_free(): the allocator calls this for orders ≥ page_reporting_order.</summary>
    public void NotifyFree(int zone, int order) => Request();

    /// <summary>
    /// __page_reporting_request(): nothing if already REQUESTED; otherwise swap in REQUESTED and, if the old
    /// state was IDLE, schedule the work PAGE_REPORTING_DELAY later (if ACTIVE, the running pass reschedules).
    /// </summary>
    public void Request()
    {
        Stats.Requests++;
        if (State == PageReportingState.Requested)
        {
            return;
        }

        var old = State;
        State = PageReportingState.Requested;
        if (old == PageReportingState.Idle)
        {
            ScheduleWork(Clock.NowNs + DelayNs);
        }
    }

    /// <summary>page_reporting_unregister(): disable the notification and cancel the delayed work.</summary>
    public void Unregister()
    {
        if (ReferenceEquals(Alloc.ReportingNotifier, this))
        {
            Alloc.ReportingNotifier = null;
        }

        CancelWork();
    }

    /// <summary>Run page_reporting_process() if its delayed work is due (the Reporting phase's system calls this).</summary>
    /// <returns>True when a pass ran.</returns>
    public bool RunDueWork()
    {
        if (!WorkDue)
        {
            return false;
        }

        WorkDue = false;
        Process();
        return true;
    }

    /// <summary>
    /// Advance the clock to <paramref name="timeNs"/>, running every reporting pass that falls due on the way at its
    /// own time (for drivers that are not a pipeline: tests and trace replay).
    /// </summary>
    public void RunUntil(long timeNs)
    {
        while (WorkDueAtNs is { } due && due <= timeNs)
        {
            Clock.AdvanceTo(due);
            RunDueWork();
        }

        Clock.AdvanceTo(timeNs);
        RunDueWork();
    }

    private void ScheduleWork(long atNs)
    {
        CancelWork();
        WorkDueAtNs = atNs;
        _work = Clock.Schedule(atNs, "page_reporting_process", _ =>
        {
            _work = null;
            WorkDueAtNs = null;
            WorkDue = true;
        });
    }

    private void CancelWork()
    {
        if (_work is { } id)
        {
            Clock.Cancel(id);
        }

        _work = null;
        WorkDueAtNs = null;
        WorkDue = false;
    }
}
