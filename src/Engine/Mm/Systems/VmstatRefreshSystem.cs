using EcsMm.Ecs;

namespace EcsMm.Mm.Systems;

/// <summary>
/// The PcpDrain phase's system: vmstat_update() → refresh_cpu_vm_stats(do_pagesets = true) every
/// sysctl_stat_interval (1 s of simulated time), which calls decay_pcp_high() on every pcp
/// (<see cref="PageAlloc.RefreshPcpHigh"/>): a raised pcp-&gt;high decays towards high_min and pages above it are drained.
/// Every whole interval that elapsed runs once, so long steps do not skip decays; once a refresh finds nothing left
/// to do, the rest of a long step's intervals would change nothing and are skipped.
/// </summary>
public sealed class VmstatRefreshSystem(PageAlloc alloc) : SystemBase("VmstatRefresh")
{
    /// <summary>sysctl_stat_interval (HZ): 1 s.</summary>
    public const long IntervalNs = 1_000_000_000;

    private long _nextNs = IntervalNs;

    public override void Update(World world, in SimTime time)
    {
        while (time.NowNs >= _nextNs)
        {
            var more = alloc.RefreshPcpHigh();
            _nextNs += IntervalNs;
            if (!more && time.NowNs >= _nextNs)
            {
                _nextNs += (time.NowNs - _nextNs) / IntervalNs * IntervalNs;
            }
        }
    }
}
