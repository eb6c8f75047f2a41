using System.CommandLine;
using System.Globalization;
using EcsMm.Mm;
using EcsMm.Trace;

namespace EcsMm.Scenarios.Cli;

/// <summary>
/// <c>ecsmm replay</c>, two forms. <c>TRACE --memory SIZE</c>: exact replay of an ftrace kmem trace on a fresh
/// single-zone guest (<see cref="TraceReplay"/>), printing the final /proc/buddyinfo line. <c>--from DUMP --to DUMP
/// TRACE</c>: exact replay between two snapshots of a real kernel (<see cref="SnapshotReplay"/>), printing the
/// comparison with the second snapshot; exit 1 on a mismatch.
/// </summary>
public static class ReplayCommand
{
    public static Command Build(CliContext context)
    {
        var trace = new Argument<string>("trace") { Description = "An ftrace text capture with kmem events (plain or .gz)" };
        var memory = new Option<string?>("--memory", "-m") { Description = "Fresh-guest form: guest memory, e.g. 2G (K, M, G, T: binary units)", HelpName = "SIZE" };
        var buddyinfo = new Option<bool>("--buddyinfo") { Description = "Fresh-guest form: print only the final /proc/buddyinfo line" };
        var from = new Option<string?>("--from") { Description = "Snapshot form: the buddydump file to start from (its name must have marks in the trace)", HelpName = "DUMP" };
        var to = new Option<string?>("--to") { Description = "Snapshot form: the buddydump file to compare with at the end", HelpName = "DUMP" };
        var kernel = new Option<string?>("--kernel") { Description = "Kernel rules where versions differ: mainline or 6.1 (default: mainline)" };
        kernel.AcceptOnlyFromAmong("mainline", "6.1");
        var command = new Command("replay", """
            Replay a kernel trace exactly.

            Fresh guest: every mm_page_alloc takes the PFN and order the kernel chose, every free goes through the
            model's free path; at the end the pcp lists are drained and /proc/buddyinfo is printed. An event the
            model cannot replay stops the run with file:line: reason (exit 2).

            Between snapshots: start from a real buddy dump, apply the trace's events up to the next dump, and compare
            free blocks (PFN, order, migratetype, reported, list position) and pcp lists; exit 1 on a mismatch.

            Examples:
              ecsmm replay boot-trace.txt.gz --memory 2G --buddyinfo      (a trace captured from boot)
              ecsmm replay boot-trace.txt --memory 512M --kernel 6.1
              ecsmm replay --from buddydump.20_thp_never_64.i3.pre.txt.gz --to buddydump.20_thp_never_64.i3.post.txt.gz trace.txt.gz
            """);
        command.Arguments.Add(trace);
        command.Options.Add(memory);
        command.Options.Add(buddyinfo);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(kernel);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(trace)!;
            if (!File.Exists(path))
            {
                throw new UserInputException($"{path}: {(Directory.Exists(path) ? "is a directory; expected a trace file" : "trace file not found")}");
            }

            var profile = parse.GetValue(kernel) is { } k ? KernelProfile.FromName(k) : null;
            var fromPath = parse.GetValue(from);
            var toPath = parse.GetValue(to);
            if (fromPath is not null || toPath is not null)
            {
                if (fromPath is null || toPath is null)
                {
                    throw new UserInputException("--from and --to go together: the snapshot to start from and the one to compare with");
                }

                if (parse.GetValue(memory) is not null || parse.GetValue(buddyinfo))
                {
                    throw new UserInputException("--memory and --buddyinfo belong to the fresh-guest form; the snapshot form takes its memory from --from");
                }

                return BetweenSnapshots(context, path, fromPath, toPath, profile);
            }

            var size = parse.GetValue(memory) ?? throw new UserInputException("--memory SIZE is required (or --from DUMP --to DUMP for the snapshot form)");
            if (!SizeParser.TryParse(size, out var bytes, out var why))
            {
                throw new UserInputException($"--memory: {why}");
            }

            if (bytes > long.MaxValue)
            {
                throw new UserInputException($"--memory: {size} is too large");
            }

            var outcome = ReadInput(path, () => TraceReplay.ReplayFresh(path, (long)bytes, profile));
            if (outcome.Error is { } error)
            {
                throw new UserInputException(error.ToString());
            }

            if (outcome.Counts.Allocations + outcome.Counts.Frees + outcome.Counts.Skipped == 0)
            {
                throw new UserInputException(NoEvents(path));
            }

            if (!parse.GetValue(buddyinfo))
            {
                var c = outcome.Counts;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replayed {c.Allocations} allocations, {c.Frees} frees ({c.FailedAllocations} failed allocations, {c.Skipped} events skipped)"));
            }

            if (outcome.Counts.UnknownGfpEvents > 0)
            {
                context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ecsmm: warning: {outcome.Counts.UnknownGfpEvents} mm_page_alloc events name GFP flags this reader does not know (first at {path}:{outcome.Counts.FirstUnknownGfpLine}); replayed by PFN and order"));
            }

            context.Out.WriteLine(outcome.BuddyInfoLine());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string NoEvents(string path) =>
        $"{path}: no trace events; expected ftrace text with kmem events (mm_page_alloc, mm_page_free, ...), plain or gzip";

    /// <summary>Reads an input file; a corrupt gzip stream or an unreadable file is the user's input, named.</summary>
    private static T ReadInput<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"{path}: expected gzip or plain text, found corrupt gzip data ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot read: {e.Message}");
        }
    }

    private static int BetweenSnapshots(CliContext context, string tracePath, string fromPath, string toPath, KernelProfile? profile)
    {
        foreach (var p in new[] { fromPath, toPath })
        {
            if (!File.Exists(p))
            {
                throw new UserInputException($"{p}: {(Directory.Exists(p) ? "is a directory; expected a buddy dump file" : "buddy dump not found")}");
            }
        }

        SnapshotComparison result;
        try
        {
            var events = ReadInput(tracePath, () => TraceEvents.Load(tracePath));
            if (events.Events.Count == 0)
            {
                throw new UserInputException(NoEvents(tracePath));
            }
            var fromDump = ReadInput(fromPath, () => BuddyDumpReader.Read(fromPath));
            var toDump = ReadInput(toPath, () => BuddyDumpReader.Read(toPath));
            result = SnapshotReplay.Run(events, fromDump, SnapshotReplay.SnapshotName(fromPath), toDump, SnapshotReplay.SnapshotName(toPath), profile);
        }
        catch (TraceFormatException e)
        {
            throw new UserInputException(e.Message);
        }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentException)
        {
            throw new UserInputException(e.Message);
        }

        context.Out.WriteLine(result.ToString());
        foreach (var line in result.Differences)
        {
            context.Out.WriteLine("different: " + line);
        }

        foreach (var line in result.Misplacements.Take(10))
        {
            context.Out.WriteLine("misplaced: " + line);
        }

        foreach (var line in result.ReplayAnomalies.Take(10))
        {
            context.Out.WriteLine("anomaly: " + line);
        }

        // The free lists and the pcp lists both count: a mismatch in either exits 1.
        var match = result.ExactMatch;
        context.Out.WriteLine(match
            ? "match: every free block, order, migratetype, reported flag and list position, and every pcp list"
            : result.FreeBlocksMatch && result.Misplaced == 0
                ? "MISMATCH: the free lists match, the pcp lists differ (see 'different:' above)"
                : "MISMATCH");
        return match ? ExitCodes.Ok : ExitCodes.SimulationFailed;
    }
}
