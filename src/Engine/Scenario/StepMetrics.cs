namespace EcsMm.Scenario;

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
