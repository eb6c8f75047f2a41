using System.CommandLine;
using System.Globalization;
using EcsMm.Scenarios.Sweeps;

namespace EcsMm.Scenarios.Cli;

/// <summary><c>ecsmm sweep plan|run|merge</c>: parameter sweeps as job arrays (Slurm, Kubernetes Indexed Jobs) or locally.</summary>
public static class SweepCommand
{
    public static Command Build(CliContext context)
    {
        var command = new Command("sweep", """
            Parameter sweeps: plan a manifest from a grid, run its rows (one per array task, or all locally), merge.

            Examples:
              ecsmm sweep plan grid.yaml -o manifest.csv
              ecsmm sweep run manifest.csv --index 3 --out results/        # one row (default: $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)
              ecsmm sweep run manifest.csv --out results/ --parallel 2      # every row on this machine
              ecsmm sweep merge results/ -o results.csv
            """);
        command.Subcommands.Add(Plan(context));
        command.Subcommands.Add(RunRows(context));
        command.Subcommands.Add(Merge(context));
        return command;
    }

    private static Command Plan(CliContext context)
    {
        var grid = new Argument<string>("grid") { Description = "Grid file (YAML): scenario, seed, replicates, grid: {dotted.key: [values]}" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Manifest CSV to write", Required = true, HelpName = "FILE" };
        var command = new Command("plan", "Expand a grid into a manifest: one row per grid point (and replicate) with a stable row id and seed.");
        command.Arguments.Add(grid);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var rows = SweepPlan.FromGrid(parse.GetValue(grid)!);
            foreach (var warning in rows.Select(r => Running.ScenarioWarnings.UnusedVmKeys(Model.ScenarioLoader.Load(r.Scenario, r.Parameters))).OfType<string>().Distinct())
            {
                context.Err.WriteLine(warning);
            }

            var file = parse.GetValue(output)!;
            try
            {
                File.WriteAllText(file.FullName, SweepPlan.ToCsv(rows));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"{file.FullName}: cannot write: {e.Message}");
            }

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} rows -> {file.FullName}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RunRows(CliContext context)
    {
        var manifest = new Argument<string>("manifest") { Description = "Manifest CSV from 'ecsmm sweep plan'" };
        var index = new Option<int?>("--index") { Description = "Run only this row (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX, else every row)" };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for the per-row output folders", DefaultValueFactory = _ => new DirectoryInfo("sweep-results"), HelpName = "DIR" };
        var parallel = new Option<int>("--parallel") { Description = "Rows run at once on this machine", DefaultValueFactory = _ => 1 };
        var validate = new Option<bool>("--validate") { Description = "Check allocator invariants; exit 1 if a row fails" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No per-row log lines" };
        var command = new Command("run", "Run manifest rows, each into OUT/ROW_ID/ (idempotent: finished rows are skipped, so retries are safe).");
        command.Arguments.Add(manifest);
        command.Options.Add(index);
        command.Options.Add(outDir);
        command.Options.Add(parallel);
        command.Options.Add(validate);
        command.Options.Add(quiet);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(manifest)!;
            var rows = SweepPlan.ReadManifest(path);
            var k = parse.GetValue(parallel);
            if (k < 1 || k > 1024)
            {
                throw new UserInputException($"--parallel: {k}; expected 1..1024");
            }

            var chosen = ChooseIndex(parse.GetValue(index), context.Environment);
            IReadOnlyList<SweepRow> todo = rows;
            if (chosen is { } pick)
            {
                var (n, from) = pick;
                if (n < 0 || n >= rows.Count)
                {
                    throw new UserInputException($"{from}: row {n} is outside the manifest's rows 0..{rows.Count - 1} ({path})");
                }

                todo = [rows[n]];
            }

            var keys = rows.Count == 0 ? [] : rows[0].Parameters.Select(p => p.Key).ToList();
            var q = parse.GetValue(quiet);
            var (ran, skipped, failed) = SweepRunner.Run(todo, keys, parse.GetValue(outDir)!.FullName, k, parse.GetValue(validate), line =>
            {
                if (!q)
                {
                    lock (context.Out)
                    {
                        context.Out.WriteLine(line);
                    }
                }
            });
            if (!q)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ran} rows run, {skipped} already done, {failed} failed validation"));
            }

            return failed > 0 ? ExitCodes.SimulationFailed : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The row to run and where the choice came from: --index, then SLURM_ARRAY_TASK_ID, then JOB_COMPLETION_INDEX.</summary>
    public static (int Index, string From)? ChooseIndex(int? option, Func<string, string?> env)
    {
        if (option is { } i)
        {
            return (i, "--index");
        }

        foreach (var name in new[] { "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX" })
        {
            if (env(name) is { Length: > 0 } v)
            {
                if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    throw new UserInputException($"${name}='{v}': expected a row index");
                }

                return (n, "$" + name);
            }
        }

        return null;
    }

    private static Command Merge(CliContext context)
    {
        var dir = new Argument<string>("dir") { Description = "The --out folder of 'ecsmm sweep run'" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Merged CSV to write", Required = true, HelpName = "FILE" };
        var command = new Command("merge", "Merge the per-row results of a sweep into one CSV, in manifest order.");
        command.Arguments.Add(dir);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var (csv, rows, incomplete) = SweepMerger.Merge(parse.GetValue(dir)!);
            if (incomplete.Count > 0)
            {
                context.Err.WriteLine($"ecsmm: warning: {incomplete.Count} row folder(s) have no {SweepRunner.ResultFile} and are left out: {string.Join(", ", incomplete.Take(10))}{(incomplete.Count > 10 ? ", ..." : "")}");
            }
            var file = parse.GetValue(output)!;
            try
            {
                File.WriteAllText(file.FullName, csv);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"{file.FullName}: cannot write: {e.Message}");
            }

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"merged {rows} rows -> {file.FullName}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
