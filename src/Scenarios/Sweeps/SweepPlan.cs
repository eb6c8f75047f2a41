using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EcsMm.Scenarios.Cli;
using EcsMm.Scenarios.Model;
using YamlDotNet.RepresentationModel;

namespace EcsMm.Scenarios.Sweeps;

/// <summary>One row of a sweep manifest: a grid point (and replicate) with its stable id and seed.</summary>
public sealed record SweepRow(int Index, string RowId, ulong Seed, string Scenario, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>
/// A sweep grid file and its manifest. The grid (YAML) names a scenario, a base seed, optional replicates and, under
/// <c>grid</c>, dotted scenario keys with the list of values to try. The plan is the cartesian product in key order
/// (as written), values in the order given. Each row's id is the first 12 hex digits of SHA-256 over the scenario
/// and its assignments, so it does not depend on row order; its seed is derived from the base seed and the id.
/// </summary>
public static class SweepPlan
{
    public const string IndexColumn = "index";
    public const string IdColumn = "row_id";
    public const string SeedColumn = "seed";
    public const string ScenarioColumn = "scenario";

    public static List<SweepRow> FromGrid(string gridPath)
    {
        if (!File.Exists(gridPath))
        {
            throw new UserInputException($"{gridPath}: grid file not found");
        }

        var source = YamlSource.Parse(gridPath, File.ReadAllText(gridPath));
        var root = new YamlMap(source, source.Root, "");
        var scenarioNode = root.Get("scenario") ?? throw source.Error(source.Root, "scenario", "missing; expected a built-in scenario name or a scenario file path");
        var scenarioText = root.ScalarText(scenarioNode, "scenario", "a built-in scenario name or a scenario file path");
        var relative = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(gridPath)) ?? ".", scenarioText);
        var scenario = File.Exists(relative) ? Path.GetFullPath(relative) : scenarioText;
        try
        {
            BuiltinScenarios.Resolve(scenario);
        }
        catch (UserInputException e)
        {
            throw root.Error(scenarioNode, "scenario", e.Message);
        }

        var baseSeed = (ulong)(root.Integer("seed", 0, long.MaxValue) ?? 1);
        var replicates = (int)(root.Integer("replicates", 1, 10_000) ?? 1);
        var grid = root.Map("grid");
        var axes = new List<(string Key, List<string> Values)>();
        if (grid is not null)
        {
            foreach (var (k, v) in grid.Node.Children)
            {
                if (k is not YamlScalarNode keyNode)
                {
                    throw grid.Error(k, "", "expected a dotted scenario key, e.g. guest.memory");
                }

                var key = keyNode.Value ?? "";
                grid.Get(key);
                if (key is "seed")
                {
                    throw grid.Error(k, key, "the seed is set per row; use 'replicates' for repeats");
                }

                var values = new List<string>();
                if (v is YamlSequenceNode seq)
                {
                    foreach (var item in seq.Children)
                    {
                        values.Add(item is YamlScalarNode s ? s.Value ?? "" : FlowText(item));
                    }
                }
                else
                {
                    throw grid.Error(v, key, "expected a list of values, e.g. [1G, 2G]");
                }

                if (values.Count == 0)
                {
                    throw grid.Error(v, key, "empty list; expected at least one value");
                }

                axes.Add((key, values));
            }
        }

        root.RejectUnknownKeys();
        var rows = new List<SweepRow>();
        var assignment = new string[axes.Count];
        void Expand(int axis)
        {
            if (axis == axes.Count)
            {
                var pars = axes.Select((a, i) => new KeyValuePair<string, string>(a.Key, assignment[i])).ToList();
                for (var r = 0; r < replicates; r++)
                {
                    var id = RowId(scenarioText, pars, r, replicates);
                    rows.Add(new SweepRow(rows.Count, id, RowSeed(baseSeed, id), scenario, pars));
                }

                return;
            }

            foreach (var v in axes[axis].Values)
            {
                assignment[axis] = v;
                Expand(axis + 1);
            }
        }

        Expand(0);
        if (rows.GroupBy(r => r.RowId).FirstOrDefault(g => g.Count() > 1) is { } dup)
        {
            throw new UserInputException($"{gridPath}: grid points {string.Join(" and ", dup.Select(r => r.Index))} are the same run (repeated values in the grid?); each row needs its own output folder");
        }

        // Validate every grid point now, so a typo fails at plan time and not on the cluster.
        foreach (var row in rows)
        {
            try
            {
                ScenarioLoader.Load(row.Scenario, row.Parameters);
            }
            catch (UserInputException e)
            {
                throw new UserInputException($"{gridPath}: grid point {row.Index} ({string.Join(", ", row.Parameters.Select(p => $"{p.Key}={p.Value}"))}): {e.Message}");
            }
        }

        return rows;
    }

    private static string FlowText(YamlNode node)
    {
        var stream = new YamlStream(new YamlDocument(node));
        var w = new StringWriter();
        stream.Save(w, assignAnchors: false);
        return w.ToString().Replace("...", "", StringComparison.Ordinal).Trim();
    }

    public static string RowId(string scenario, IReadOnlyList<KeyValuePair<string, string>> parameters, int replicate, int replicates)
    {
        var text = new StringBuilder(scenario).Append('\n');
        foreach (var (k, v) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(k).Append('=').Append(v).Append('\n');
        }

        if (replicates > 1)
        {
            text.Append("replicate=").Append(replicate.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }

    /// <summary>SplitMix64 of the base seed mixed with the row id: stable, and distinct per row.</summary>
    public static ulong RowSeed(ulong baseSeed, string rowId)
    {
        var z = baseSeed ^ ulong.Parse(rowId, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (z ^ (z >> 31)) & ((1UL << 53) - 1);
    }

    public static string ToCsv(IReadOnlyList<SweepRow> rows)
    {
        var keys = rows.Count == 0 ? [] : rows[0].Parameters.Select(p => p.Key).ToList();
        var text = new StringBuilder();
        text.Append(Csv.Line(new[] { IndexColumn, IdColumn, SeedColumn, ScenarioColumn }.Concat(keys))).Append('\n');
        foreach (var r in rows)
        {
            text.Append(Csv.Line(new[] { r.Index.ToString(CultureInfo.InvariantCulture), r.RowId, r.Seed.ToString(CultureInfo.InvariantCulture), r.Scenario }.Concat(r.Parameters.Select(p => p.Value)))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A row id as <see cref="RowId"/> makes them: 12 lowercase hex digits.</summary>
    public static bool IsRowId(string id) => id.Length == 12 && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    public static List<SweepRow> ReadManifest(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"{path}: manifest not found");
        }

        var (header, rows) = Csv.Read(path);
        if (header.Count < 4 || header[0] != IndexColumn || header[1] != IdColumn || header[2] != SeedColumn || header[3] != ScenarioColumn)
        {
            throw new UserInputException($"{path}:1: expected the header to start with index,row_id,seed,scenario (a manifest from 'ecsmm sweep plan')");
        }

        var list = new List<SweepRow>();
        foreach (var (line, f) in rows)
        {
            if (!int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index != list.Count)
            {
                throw new UserInputException($"{path}:{line}: index: '{f[0]}'; expected {list.Count} (rows numbered from 0 in order)");
            }

            if (!ulong.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            {
                throw new UserInputException($"{path}:{line}: seed: '{f[2]}' is not a whole number");
            }

            // The row id names the row's output folder (replaced wholesale on a rerun): only what plan writes is accepted.
            if (!IsRowId(f[1]))
            {
                throw new UserInputException($"{path}:{line}: row_id: '{f[1]}'; expected 12 lowercase hex digits (as 'ecsmm sweep plan' writes them)");
            }

            if (list.Any(r => r.RowId == f[1]))
            {
                throw new UserInputException($"{path}:{line}: row_id: '{f[1]}' appears twice; each row needs its own output folder");
            }

            var pars = header.Skip(4).Select((k, i) => new KeyValuePair<string, string>(k, f[4 + i])).ToList();
            list.Add(new SweepRow(index, f[1], seed, f[3], pars));
        }

        return list;
    }
}
