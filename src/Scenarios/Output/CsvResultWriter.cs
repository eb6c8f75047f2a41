using System.Globalization;
using System.Text;
using EcsMm.Scenarios.Running;

namespace EcsMm.Scenarios.Output;

/// <summary>
/// Writes a run's metrics as CSV in long form — <c>scenario,seed,mode,host_zeroes_pages,metric,value</c> — preceded
/// by provenance comment lines (<c># key: value</c>). Deterministic like the JSON.
/// </summary>
public static class CsvResultWriter
{
    public const string Header = "scenario,seed,mode,host_zeroes_pages,metric,value";

    public static string Format(ScenarioResult result, bool provenance = true)
    {
        var inv = CultureInfo.InvariantCulture;
        var spec = result.Scenario.Spec;
        var text = new StringBuilder();
        if (provenance)
        {
            text.Append(inv, $"# scenario_sha256: {result.Scenario.Sha256}\n");
            text.Append(inv, $"# ecsmm: {Provenance.Version} {Provenance.Commit}\n");
            text.Append(inv, $"# machine: {Provenance.Os}; {Provenance.Arch}; {Provenance.Cores} cores\n");
            foreach (var (k, v) in result.Scenario.Overrides)
            {
                text.Append(inv, $"# set: {k}={v}\n");
            }
        }

        text.Append(Header).Append('\n');
        foreach (var m in result.Modes)
        {
            foreach (var metric in m.Metrics)
            {
                text.Append(inv, $"{Escape(spec.Name)},{spec.Seed},{m.Mode},{m.HostZeroesPages},{Escape(metric.Name)},{metric.Value.ToString("R", inv)}\n");
            }
        }

        return text.ToString();
    }

    public static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
