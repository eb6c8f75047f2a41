using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Scenarios.Running;

/// <summary>
/// The Workload-phase system: executes the current scenario step with the first handler that takes it, and keeps
/// count of the steps no handler takes.
/// </summary>
public sealed class StepDriver(IReadOnlyList<IStepHandler> handlers, PageAlloc alloc, StepMetrics metrics) : SystemBase("ScenarioStep")
{
    private readonly SortedDictionary<string, int> _notExecuted = new(StringComparer.Ordinal);
    private WorkloadStep? _step;

    /// <summary>Where the run is, for messages ("iteration 3 churn").</summary>
    public string Label { get; private set; } = "boot";

    public void Next(WorkloadStep step, string label)
    {
        _step = step;
        Label = label;
    }

    public override void Update(World world, in SimTime time)
    {
        if (_step is not { } step)
        {
            return;
        }

        _step = null;
        foreach (var h in handlers)
        {
            if (h.Handles(step))
            {
                h.Execute(step, world, alloc, metrics);
                return;
            }
        }

        _notExecuted[step.Kind] = _notExecuted.GetValueOrDefault(step.Kind) + 1;
    }

    public IReadOnlyList<StepNotExecuted> NotExecuted() =>
        _notExecuted.Select(kv => new StepNotExecuted(kv.Key, kv.Value, PipelineExecutor.PendingReason(kv.Key))).ToList();
}
