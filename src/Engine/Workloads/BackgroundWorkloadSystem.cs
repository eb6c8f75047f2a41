using EcsMm.Ecs;

namespace EcsMm.Workloads;

/// <summary>The Workload phase's system: one step of <see cref="BackgroundWorkload"/> (page cache, slab, churn).</summary>
public sealed class BackgroundWorkloadSystem(BackgroundWorkload workload) : SystemBase("BackgroundWorkload")
{
    public BackgroundWorkload Workload { get; } = workload;

    public override void Update(World world, in SimTime time) => Workload.Step(time.Step);
}
