using EcsMm.Scenarios.Cli;
using EcsMm.Scenarios.Running;

namespace EcsMm.Scenarios.Output;

/// <summary>Writes a run's files: --json, --csv, and under --out DIR result.json, result.csv, /proc snapshots and plots.</summary>
public static class Outputs
{
    public static void Write(CliContext context, ScenarioResult result, FileInfo? json, FileInfo? csv, DirectoryInfo? outDir, bool quiet, IReadOnlyCollection<string>? printPoints = null)
    {
        if (json is not null)
        {
            WriteFile(json.FullName, JsonResultWriter.Serialize(result));
        }

        if (csv is not null)
        {
            WriteFile(csv.FullName, System.Text.Encoding.UTF8.GetBytes(CsvResultWriter.Format(result)));
        }

        if (outDir is null)
        {
            if (!quiet && printPoints is { Count: > 0 })
            {
                PrintSnapshots(context, result, printPoints);
            }

            return;
        }

        var dir = outDir.FullName;
        WriteFile(Path.Combine(dir, "result.json"), JsonResultWriter.Serialize(result));
        WriteFile(Path.Combine(dir, "result.csv"), System.Text.Encoding.UTF8.GetBytes(CsvResultWriter.Format(result)));
        foreach (var m in result.Modes)
        {
            foreach (var s in m.Snapshots)
            {
                var sd = Path.Combine(dir, "snapshots", m.Mode, s.Point.Replace(':', '-'));
                WriteFile(Path.Combine(sd, "buddyinfo"), System.Text.Encoding.ASCII.GetBytes(s.BuddyInfo));
                WriteFile(Path.Combine(sd, "pagetypeinfo"), System.Text.Encoding.ASCII.GetBytes(s.PageTypeInfo));
                WriteFile(Path.Combine(sd, "vmstat"), System.Text.Encoding.ASCII.GetBytes(s.VmStat));
            }
        }

        var plots = Path.Combine(dir, "plots");
        Directory.CreateDirectory(plots);
        foreach (var m in result.Modes)
        {
            Plots.FreeBlocksPerOrder(m, result.Scenario.Spec.Name, plots);
        }

        Plots.FreePages(result, plots);
        Plots.ZeroingPerIteration(result, plots);
        Plots.ReportedFreeMemory(result, plots);
        if (!quiet)
        {
            context.Out.WriteLine($"wrote {dir}/ (result.json, result.csv, snapshots/, plots/)");
        }
    }

    /// <summary>Without --out, the snapshots asked for with --snapshot go to the console (all three files).</summary>
    private static void PrintSnapshots(CliContext context, ScenarioResult result, IReadOnlyCollection<string> points)
    {
        foreach (var m in result.Modes)
        {
            foreach (var s in m.Snapshots.Where(s => points.Contains(s.Point)))
            {
                context.Out.WriteLine($"==> {m.Mode} {s.Point}: /proc/buddyinfo <==");
                context.Out.Write(s.BuddyInfo);
                context.Out.WriteLine($"==> {m.Mode} {s.Point}: /proc/pagetypeinfo <==");
                context.Out.Write(s.PageTypeInfo);
                context.Out.WriteLine($"==> {m.Mode} {s.Point}: /proc/vmstat <==");
                context.Out.Write(s.VmStat);
            }
        }
    }

    private static void WriteFile(string path, byte[] bytes)
    {
        try
        {
            var d = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(d))
            {
                Directory.CreateDirectory(d);
            }

            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot write: {e.Message}");
        }
    }
}
