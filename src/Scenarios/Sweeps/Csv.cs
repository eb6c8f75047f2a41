using System.Text;
using EcsMm.Scenarios.Cli;

namespace EcsMm.Scenarios.Sweeps;

/// <summary>Minimal RFC 4180 CSV: quoted fields with doubled quotes; '#' lines at the start are comments.</summary>
internal static class Csv
{
    public static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Output.CsvResultWriter.Escape));

    public static List<string> Split(string line, string file, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new UserInputException($"{file}:{lineNumber}: unterminated quoted field");
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>The header and rows of a CSV file, with their 1-based line numbers.</summary>
    public static (List<string> Header, List<(int Line, List<string> Fields)> Rows) Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot read: {e.Message}");
        }

        List<string>? header = null;
        var rows = new List<(int, List<string>)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || (header is null && lines[i].StartsWith('#')))
            {
                continue;
            }

            var f = Split(lines[i], path, i + 1);
            if (header is null)
            {
                header = f;
                continue;
            }

            if (f.Count != header.Count)
            {
                throw new UserInputException($"{path}:{i + 1}: {f.Count} fields; expected {header.Count} as in the header");
            }

            rows.Add((i + 1, f));
        }

        return (header ?? throw new UserInputException($"{path}: empty; expected a CSV header line"), rows);
    }
}
