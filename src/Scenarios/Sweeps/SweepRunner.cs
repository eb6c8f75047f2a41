using System.Globalization;
using System.Text;
using EcsMm.Scenarios.Cli;
using EcsMm.Scenarios.Model;
using EcsMm.Scenarios.Output;
using EcsMm.Scenarios.Running;

namespace EcsMm.Scenarios.Sweeps;

/// <summary>
/// Runs manifest rows, each into its own folder <c>OUT/ROW_ID/</c> (row.csv, result.json, result.csv). A row whose
/// folder holds a result for the same manifest row is skipped, and a row is written to a temporary folder and renamed
/// into place when complete, so a retried or duplicated shard is safe.
/// </summary>
public static class SweepRunner
{
    public const string ResultFile = "result.csv";
    public const string RowFile = "row.csv";

    /// <summary>Runs <paramref name="rows"/> with up to <paramref name="parallel"/> at once; returns rows run and skipped.</summary>
    public static (int Ran, int Skipped, int Failed) Run(IReadOnlyList<SweepRow> rows, IReadOnlyList<string> parameterKeys, string outDir, int parallel, bool validate, Action<string> log)
    {
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UserInputException($"--out {outDir}: cannot create the output folder: {e.Message}");
        }

        int ran = 0, skipped = 0, failed = 0;
        var errors = new List<UserInputException>();
        Parallel.ForEach(rows, new ParallelOptions { MaxDegreeOfParallelism = parallel }, row =>
        {
            try
            {
                var outcome = RunRow(row, parameterKeys, outDir, validate);
                lock (errors)
                {
                    switch (outcome)
                    {
                        case RowOutcome.Skipped: skipped++; log($"row {row.Index} ({row.RowId}): already done, skipped"); break;
                        case RowOutcome.Failed: failed++; log($"row {row.Index} ({row.RowId}): validation failed"); break;
                        default: ran++; log($"row {row.Index} ({row.RowId}): done"); break;
                    }
                }
            }
            catch (UserInputException e)
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (errors)
                {
                    errors.Add(new UserInputException($"--out {outDir}: row {row.Index} ({row.RowId}): cannot write its results: {e.Message}"));
                }
            }
        });
        if (errors.Count > 0)
        {
            throw errors[0];
        }

        return (ran, skipped, failed);
    }

    private enum RowOutcome
    {
        Ran,
        Skipped,
        Failed,
    }

    private static RowOutcome RunRow(SweepRow row, IReadOnlyList<string> keys, string outDir, bool validate)
    {
        var final = Path.Combine(outDir, row.RowId);
        var rowText = SweepPlan.ToCsv([row with { Index = row.Index }]);
        if (File.Exists(Path.Combine(final, ResultFile)) && File.Exists(Path.Combine(final, RowFile))
            && File.ReadAllText(Path.Combine(final, RowFile)) == rowText)
        {
            return RowOutcome.Skipped;
        }

        var overrides = row.Parameters.Append(new("seed", row.Seed.ToString(CultureInfo.InvariantCulture))).ToList();
        var loaded = ScenarioLoader.Load(row.Scenario, overrides);
        var result = new PipelineExecutor().Execute(loaded, new RunOptions { Validate = validate, WriteVariant = false });
        var tmp = Path.Combine(outDir, $".tmp-{row.RowId}-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}");
        if (Directory.Exists(tmp))
        {
            Directory.Delete(tmp, recursive: true);
        }

        Directory.CreateDirectory(tmp);
        File.WriteAllBytes(Path.Combine(tmp, "result.json"), JsonResultWriter.Serialize(result));
        File.WriteAllText(Path.Combine(tmp, ResultFile), RowCsv(row, keys, result));
        File.WriteAllText(Path.Combine(tmp, RowFile), rowText);
        if (Directory.Exists(final))
        {
            Directory.Delete(final, recursive: true);
        }

        try
        {
            Directory.Move(tmp, final);
        }
        catch (IOException) when (File.Exists(Path.Combine(final, ResultFile)))
        {
            // Another shard finished the same row first; its output is identical (same row, same seed).
            Directory.Delete(tmp, recursive: true);
        }

        var failed = validate && result.Modes.Any(m => m.Violations.Count > 0 || (m.Value("bad_pages") ?? 0) > 0);
        return failed ? RowOutcome.Failed : RowOutcome.Ran;
    }

    /// <summary>The per-row CSV: index,row_id,seed,PARAMS...,mode,host_zeroes_pages,metric,value.</summary>
    public static string RowCsv(SweepRow row, IReadOnlyList<string> keys, ScenarioResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(Header(keys)).Append('\n');
        foreach (var m in result.Modes)
        {
            foreach (var metric in m.Metrics)
            {
                var fields = new List<string> { row.Index.ToString(inv), row.RowId, row.Seed.ToString(inv) };
                fields.AddRange(row.Parameters.Select(p => p.Value));
                fields.AddRange([m.Mode, m.HostZeroesPages.ToString(inv), metric.Name, metric.Value.ToString("R", inv)]);
                text.Append(Csv.Line(fields)).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Header(IReadOnlyList<string> keys) =>
        Csv.Line(new[] { "index", "row_id", "seed" }.Concat(keys).Concat(["mode", "host_zeroes_pages", "metric", "value"]));
}
