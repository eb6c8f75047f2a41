using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EcsMm.Scenarios.Output;

namespace EcsMm.Scenarios.Cli;

/// <summary>
/// <c>ecsmm calibrate</c>: measures this machine's zeroing bandwidth for 4 KiB and 2 MiB chunks (clearing a buffer
/// larger than the last-level cache, chunk by chunk, as clear_page / folio_zero_user do) and writes a cost profile
/// fragment with the measured figures and how they were measured. These are wall-clock measurements of the host
/// running ecsmm — the one place ecsmm reads a clock — and they never enter a result unless a run is given the file.
/// </summary>
public static class CalibrateCommand
{
    public static Command Build(CliContext context)
    {
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the cost profile to FILE (default: standard output)", HelpName = "FILE" };
        var seconds = new Option<double>("--seconds") { Description = "Time spent measuring each chunk size", DefaultValueFactory = _ => 0.5 };
        var buffer = new Option<string>("--buffer") { Description = "Buffer zeroed in each pass (larger than the LLC)", DefaultValueFactory = _ => "256M", HelpName = "SIZE" };
        var command = new Command("calibrate", """
            Measure this machine's memory zeroing bandwidth (4 KiB and 2 MiB chunks) and write a cost profile that
            runs can use with --costs FILE, so results can be asked "on my hardware".

            Examples:
              ecsmm calibrate -o my-machine.costs.yaml
              ecsmm calibrate --seconds 2 --buffer 1G
            """);
        command.Options.Add(output);
        command.Options.Add(seconds);
        command.Options.Add(buffer);
        command.SetAction(parse =>
        {
            var secs = parse.GetValue(seconds);
            if (!(secs > 0 && secs <= 600))
            {
                throw new UserInputException($"--seconds: {secs.ToString(CultureInfo.InvariantCulture)} is out of range; expected a number in (0, 600]");
            }

            if (!Trace.SizeParser.TryParse(parse.GetValue(buffer), out var bytes, out var why))
            {
                throw new UserInputException($"--buffer: {why}");
            }

            // One managed array: under 2 GiB.
            if (bytes < (4UL << 20) || bytes > (1UL << 30))
            {
                throw new UserInputException($"--buffer: expected a size from 4M to 1G");
            }

            var buf = GC.AllocateUninitializedArray<byte>((int)Math.Min(bytes, (ulong)Array.MaxLength & ~((2UL << 20) - 1)), pinned: true);
            buf.AsSpan().Fill(0xA5);
            var small = Measure(buf, 4096, secs);
            var large = Measure(buf, 2 << 20, secs);
            var inv = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.Append("# EcsMm cost profile: measured by 'ecsmm calibrate'\n");
            text.Append(inv, $"# machine: {Provenance.Os}; {Provenance.Arch}; {Provenance.Cores} cores; {Provenance.Runtime}\n");
            text.Append(inv, $"# method: Span.Clear over a {buf.Length >> 20} MiB buffer in 4 KiB / 2 MiB chunks, {secs} s each, best pass of several\n");
            text.Append("measured:\n");
            text.Append(inv, $"  zero_4k_bytes_per_second: {small:F0}\n");
            text.Append(inv, $"  zero_2m_bytes_per_second: {large:F0}\n");
            text.Append(inv, $"  ecsmm_version: {Provenance.Version}\n");
            text.Append(inv, $"  ecsmm_commit: {Provenance.Commit}\n");
            if (parse.GetValue(output) is { } file)
            {
                try
                {
                    File.WriteAllText(file.FullName, text.ToString());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UserInputException($"{file.FullName}: cannot write: {e.Message}");
                }

                context.Out.WriteLine(string.Create(inv, $"zeroing: 4 KiB chunks {small / 1e9:F2} GB/s, 2 MiB chunks {large / 1e9:F2} GB/s; wrote {file.FullName}"));
            }
            else
            {
                context.Out.Write(text.ToString());
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Bytes per second of zeroing <paramref name="buffer"/> in chunks of <paramref name="chunk"/> bytes (best pass).</summary>
    private static double Measure(byte[] buffer, int chunk, double seconds)
    {
        var best = 0.0;
        var budget = Stopwatch.StartNew();
        do
        {
            var sw = Stopwatch.StartNew();
            for (var off = 0; off + chunk <= buffer.Length; off += chunk)
            {
                buffer.AsSpan(off, chunk).Clear();
            }

            sw.Stop();
            best = Math.Max(best, buffer.Length / sw.Elapsed.TotalSeconds);
        }
        while (budget.Elapsed.TotalSeconds < seconds);
        return best;
    }
}
