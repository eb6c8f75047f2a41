using System.Globalization;
using System.Text;
using EcsMm.Scenarios.Cli;

namespace EcsMm.Scenarios.Sweeps;

/// <summary>Merges the per-row result.csv files of a sweep folder into one CSV, rows in manifest order.</summary>
public static class SweepMerger
{
    /// <summary>Merges every row folder's results; <c>Incomplete</c> lists row folders without results (still running, or failed).</summary>
    public static (string Csv, int Rows, IReadOnlyList<string> Incomplete) Merge(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new UserInputException($"{dir}: sweep output folder not found");
        }

        var folders = Directory.GetDirectories(dir).Where(d => !Path.GetFileName(d).StartsWith('.')).ToList();
        var files = folders.Select(d => Path.Combine(d, SweepRunner.ResultFile)).Where(File.Exists).ToList();
        var incomplete = folders.Where(d => !File.Exists(Path.Combine(d, SweepRunner.ResultFile))).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new UserInputException($"{dir}: no row folders with {SweepRunner.ResultFile}; run 'ecsmm sweep run' first");
        }

        List<string>? header = null;
        string? headerFile = null;
        var rows = new List<(int Index, int Order, string Line)>();
        foreach (var f in files)
        {
            var (h, lines) = Csv.Read(f);
            if (header is null)
            {
                header = h;
                headerFile = f;
            }
            else if (!h.SequenceEqual(header))
            {
                throw new UserInputException($"{f}:1: header differs from {headerFile}; were these rows planned from different grids?");
            }

            var order = 0;
            foreach (var (line, fields) in lines)
            {
                if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw new UserInputException($"{f}:{line}: index: '{fields[0]}' is not a row index");
                }

                rows.Add((index, order++, Csv.Line(fields)));
            }
        }

        var text = new StringBuilder(Csv.Line(header!)).Append('\n');
        foreach (var r in rows.OrderBy(r => r.Index).ThenBy(r => r.Order))
        {
            text.Append(r.Line).Append('\n');
        }

        return (text.ToString(), files.Count, incomplete);
    }
}
