using EcsMm.Ecs;
using EcsMm.Mm;

namespace EcsMm.Scenario;

/// <summary>
/// Executes one kind of <see cref="WorkloadStep"/> against a guest. The runner asks each registered handler in turn;
/// steps no handler accepts are reported as not executed (never silently dropped).
/// </summary>
public interface IStepHandler
{
    /// <summary>True when this handler executes <paramref name="step"/>.</summary>
    bool Handles(WorkloadStep step);

    /// <summary>Runs the step. Counters it keeps go to <paramref name="metrics"/>.</summary>
    void Execute(WorkloadStep step, World world, PageAlloc alloc, StepMetrics metrics);
}
