using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Scenarios.Running;

/// <summary>Executes <see cref="SleepStep"/>: advances the simulated clock, firing any events due on the way.</summary>
public sealed class SleepStepHandler : IStepHandler
{
    public bool Handles(WorkloadStep step) => step is SleepStep;

    public void Execute(WorkloadStep step, World world, PageAlloc alloc, StepMetrics metrics)
    {
        var ns = (long)Math.Round(((SleepStep)step).Seconds * 1e9);
        world.Clock.Advance(ns);
        metrics.Add("slept_ns", ns);
    }
}
