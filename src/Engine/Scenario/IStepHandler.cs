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

/// <summary>Counters that step handlers add to during a mode (ordered by first use, so output is deterministic).</summary>
public sealed class StepMetrics
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, double> _values = [];

    public void Add(string name, double value)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            _order.Add(name);
            v = 0;
        }

        _values[name] = v + value;
    }

    public IEnumerable<KeyValuePair<string, double>> All()
    {
        foreach (var n in _order)
        {
            yield return new(n, _values[n]);
        }
    }
}
