using EcsMm.Ecs;

namespace EcsMm.Mm.Systems;

/// <summary>
/// The Reporting phase's system: the page_reporting_process() work item. When the 2 s delayed work scheduled by
/// __page_reporting_request() has fired on the world's clock, it runs one pass (page_reporting_process_zone →
/// page_reporting_cycle → prdev-&gt;report → page_reporting_drain) over every zone.
/// </summary>
public sealed class PageReportingSystem : SystemBase
{
    public PageReportingSystem(PageReporting reporting)
        : base("PageReporting")
    {
        Reporting = reporting;
    }

    public PageReporting Reporting { get; }

    public override void Update(World world, in SimTime time) => Reporting.RunDueWork();
}
