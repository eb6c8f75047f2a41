using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Scenarios.Running;

/// <summary>
/// Executes <see cref="ThpStep"/>: a write to transparent_hugepage/enabled. On the VM model the fault path follows the
/// new mode too (<see cref="Memory.SetThpEnabled"/>); on the allocator alone only start_stop_khugepaged's
/// watermarks and pcp high change (<see cref="PageAlloc.SetThpEnabled"/>).
/// </summary>
public sealed class ThpStepHandler : IStepHandler
{
    public bool Handles(WorkloadStep step) => step is ThpStep;

    public void Execute(WorkloadStep step, World world, PageAlloc alloc, StepMetrics metrics)
    {
        var mode = ThpModes.FromName(((ThpStep)step).Enabled);
        if (world.HasResource<VmRun>())
        {
            world.Resource<VmRun>().Guest.Memory.SetThpEnabled(mode);
        }
        else
        {
            alloc.SetThpEnabled(mode != ThpEnabled.Never);
        }

        metrics.Add("thp_mode_writes", 1);
    }
}
