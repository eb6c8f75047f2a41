namespace EcsMm.Mm;

/// <summary>The atomic prdev-&gt;state of mm/page_reporting.c.</summary>
public enum PageReportingState
{
    /// <summary>PAGE_REPORTING_IDLE: no work scheduled.</summary>
    Idle = 0,

    /// <summary>PAGE_REPORTING_REQUESTED: a pass is wanted (delayed work scheduled, or the running pass will reschedule).</summary>
    Requested = 1,

    /// <summary>PAGE_REPORTING_ACTIVE: a pass is running.</summary>
    Active = 2,
}
