using System.CommandLine;
using EcsMm.Scenarios.Model;
using EcsMm.Scenarios.Output;
using EcsMm.Scenarios.Plugins;
using EcsMm.Scenarios.Running;
using Spectre.Console;

namespace EcsMm.Scenarios.Cli;

/// <summary><c>ecsmm run &lt;name|file&gt;</c>: load, validate and run a scenario; write the table and the outputs asked for.</summary>
public static class RunCommand
{
    public static Command Build(CliContext context)
    {
        var common = new CommonOptions();
        var scenario = new Argument<string>("scenario") { Description = "A built-in scenario name (see 'ecsmm list') or a YAML scenario file" };
        var set = new Option<string[]>("--set") { Description = "Override a scenario key, e.g. --set guest.memory=4G --set balloon.host_zeroes_pages=[1]", HelpName = "KEY=VALUE", AllowMultipleArgumentsPerToken = false };
        var snapshot = new Option<string[]>("--snapshot") { Description = "Take /proc/buddyinfo, pagetypeinfo and vmstat at POINT: boot, setup, iteration:N, end (repeatable)", HelpName = "POINT" };
        var plugin = new Option<string[]>("--plugin") { Description = "Load ISystem implementations from a .NET assembly into the pipeline (repeatable)", HelpName = "DLL" };
        var costs = new Option<string?>("--costs") { Description = "Cost profile file (overrides the scenario's 'costs')", HelpName = "FILE" };
        var brief = new Option<bool>("--brief") { Description = "Print the perf-stat table and the zeroing metrics only, not every allocator counter" };
        var perIteration = new Option<bool>("--per-iteration") { Description = "Also print, per mode, what each iteration's alloc_once did (VM scenarios)" };
        var noWriteVariant = new Option<bool>("--no-write-variant") { Description = "Do not also simulate the scenario with its alloc_once steps writing their memory (halves the time of a VM scenario; drops the cost report's write rows)" };
        var command = new Command("run", """
            Run a scenario in each of its modes (host_zeroes_pages 0 = baseline, 1 = optimized) and print the
            seed-style table (metric, baseline, optimized, delta) of what the simulation computed.

            Examples:
              ecsmm run seed-thp
              ecsmm run seed-thp --brief --per-iteration
              ecsmm run allocator-churn --seed 3 --json churn.json --csv churn.csv
              ecsmm run my.yaml -o out --snapshot iteration:1 --snapshot end
              ecsmm run allocator-churn --plugin samples/.../EcsMm.Samples.CustomSystem.dll
            """);
        command.Arguments.Add(scenario);
        common.AddTo(command);
        command.Options.Add(set);
        command.Options.Add(snapshot);
        command.Options.Add(plugin);
        command.Options.Add(costs);
        command.Options.Add(brief);
        command.Options.Add(perIteration);
        command.Options.Add(noWriteVariant);
        command.SetAction(parse =>
        {
            var overrides = ParseSets(parse.GetValue(set) ?? []);
            if (parse.GetValue(common.Seed) is { } seed)
            {
                if (!long.TryParse(seed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    throw new UserInputException($"--seed '{seed}': expected a whole number in 0..{long.MaxValue}");
                }

                overrides.Add(new("seed", seed));
            }

            if (parse.GetValue(costs) is { } c)
            {
                if (!File.Exists(c))
                {
                    throw new UserInputException($"--costs: {c}: {(Directory.Exists(c) ? "is a directory" : "file not found")}; expected a cost profile (see 'ecsmm calibrate')");
                }

                overrides.Add(new("costs", Path.GetFullPath(c)));
            }

            var loaded = ScenarioLoader.Load(parse.GetValue(scenario)!, overrides);
            if (ScenarioWarnings.UnusedVmKeys(loaded) is { } warning)
            {
                context.Err.WriteLine(warning);
            }
            var extra = (parse.GetValue(snapshot) ?? []).ToList();
            foreach (var p in extra)
            {
                if (SnapshotPoints.Validate(p, loaded.Spec.Iterations) is { } why)
                {
                    throw new UserInputException($"--snapshot: {why}");
                }
            }

            var options = new RunOptions
            {
                Validate = parse.GetValue(common.Validate),
                ExtraSnapshots = extra,
                Plugins = PluginLoader.Load(parse.GetValue(plugin) ?? []),
                WriteVariant = !parse.GetValue(noWriteVariant),
            };
            var quiet = parse.GetValue(common.Quiet);
            var result = Execute(context, loaded, options, quiet);
            Outputs.Write(context, result, parse.GetValue(common.Json), parse.GetValue(common.Csv), parse.GetValue(common.Out), quiet, extra);
            if (!quiet)
            {
                ConsoleReport.Write(context.Console, result, parse.GetValue(brief));
                if (parse.GetValue(perIteration))
                {
                    ConsoleReport.WritePerIteration(context.Console, result);
                }
            }

            var failed = options.Validate && result.Modes.Any(m => m.Violations.Count > 0 || (m.Value("bad_pages") ?? 0) > 0);
            if (failed)
            {
                context.Err.WriteLine("ecsmm: validation failed: invariant violations or bad pages (see above / the JSON)");
                return ExitCodes.SimulationFailed;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>KEY=VALUE pairs from --set.</summary>
    public static List<KeyValuePair<string, string>> ParseSets(IEnumerable<string> sets)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var s in sets)
        {
            var eq = s.IndexOf('=');
            if (eq <= 0 || s[..eq].Split('.').Any(p => p.Length == 0))
            {
                throw new UserInputException($"--set '{s}': expected KEY=VALUE with a dotted key, e.g. guest.memory=4G");
            }

            list.Add(new(s[..eq], s[(eq + 1)..]));
        }

        return list;
    }

    /// <summary>Runs the executor, with a progress bar when the run takes longer than a second on a terminal.</summary>
    public static ScenarioResult Execute(CliContext context, LoadedScenario loaded, RunOptions options, bool quiet)
    {
        var executor = new PipelineExecutor();
        if (quiet || !context.Interactive)
        {
            return executor.Execute(loaded, options);
        }

        long done = 0, total = 1;
        var reporter = new SyncProgress(p =>
        {
            Interlocked.Exchange(ref done, p.Done);
            Interlocked.Exchange(ref total, Math.Max(1, p.Total));
        });
        var task = Task.Run(() => executor.Execute(loaded, options, reporter));
        if (task.Wait(TimeSpan.FromSeconds(1)))
        {
            return task.GetAwaiter().GetResult();
        }

        context.Console.Progress().AutoClear(true).Start(ctx =>
        {
            var bar = ctx.AddTask($"{loaded.Spec.Name}: simulating");
            while (!task.Wait(100))
            {
                bar.MaxValue = Interlocked.Read(ref total);
                bar.Value = Interlocked.Read(ref done);
            }

            bar.Value = bar.MaxValue;
        });
        return task.GetAwaiter().GetResult();
    }

    /// <summary>An IProgress that calls back on the reporting thread (no synchronization context).</summary>
    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
