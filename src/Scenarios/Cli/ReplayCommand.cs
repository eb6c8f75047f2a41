using System.CommandLine;
using System.Globalization;
using EcsMm.Mm;
using EcsMm.Trace;

namespace EcsMm.Scenarios.Cli;

/// <summary>
/// <c>ecsmm replay TRACE --memory SIZE</c>: exact replay of an ftrace kmem trace on a fresh single-zone guest
/// (<see cref="TraceReplay.ReplayFresh(string, long, KernelProfile?)"/>); prints the final /proc/buddyinfo line.
/// </summary>
public static class ReplayCommand
{
    public static Command Build(CliContext context)
    {
        var trace = new Argument<string>("trace") { Description = "An ftrace text capture with kmem events (plain or .gz)" };
        var memory = new Option<string>("--memory", "-m") { Description = "Guest memory for the fresh guest, e.g. 2G (K, M, G, T: binary units)", Required = true, HelpName = "SIZE" };
        var buddyinfo = new Option<bool>("--buddyinfo") { Description = "Print only the final /proc/buddyinfo line" };
        var kernel = new Option<string?>("--kernel") { Description = "Kernel rules where versions differ: mainline or 6.1 (default: the replay engine's, mainline)" };
        kernel.AcceptOnlyFromAmong("mainline", "6.1");
        var command = new Command("replay", """
            Replay a kernel trace exactly: every mm_page_alloc takes the PFN and order the kernel chose, every free goes
            through the model's free path; at the end the pcp lists are drained and /proc/buddyinfo is printed.
            An event the model cannot replay stops the run with file:line: reason (exit 2).

            Examples:
              ecsmm replay trace.txt.gz --memory 2G --buddyinfo
              ecsmm replay trace.txt --memory 512M --kernel mainline
            """);
        command.Arguments.Add(trace);
        command.Options.Add(memory);
        command.Options.Add(buddyinfo);
        command.Options.Add(kernel);
        command.SetAction(parse =>
        {
            var size = parse.GetValue(memory)!;
            if (!SizeParser.TryParse(size, out var bytes, out var why))
            {
                throw new UserInputException($"--memory: {why}");
            }

            if (bytes > long.MaxValue)
            {
                throw new UserInputException($"--memory: {size} is too large");
            }

            var path = parse.GetValue(trace)!;
            if (!File.Exists(path))
            {
                throw new UserInputException($"{path}: trace file not found");
            }

            var outcome = TraceReplay.ReplayFresh(path, (long)bytes, parse.GetValue(kernel) is { } k ? KernelProfile.FromName(k) : null);
            if (outcome.Error is { } error)
            {
                throw new UserInputException(error.ToString());
            }

            if (!parse.GetValue(buddyinfo))
            {
                var c = outcome.Counts;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replayed {c.Allocations} allocations, {c.Frees} frees ({c.FailedAllocations} failed allocations, {c.Skipped} events skipped)"));
            }

            context.Out.WriteLine(outcome.BuddyInfoLine());
            return ExitCodes.Ok;
        });
        return command;
    }
}
