using System.CommandLine;
using EcsMm.Ecs;
using EcsMm.Scenarios.Cli;

namespace EcsMm.Scenarios;

/// <summary>The <c>ecsmm</c> command line: parse, run one command, map failures to exit codes 0, 1 and 2.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, CliContext.FromProcess());

    /// <summary>A parse error without .NET type names ("as expected type 'System.Nullable`1[System.Int32]'").</summary>
    private static string Plain(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '[^']*?(Int32|Int64|UInt64|Double|Boolean)[^']*'", m => m.Groups[1].Value switch
        {
            "Double" => "as a number",
            "Boolean" => "as true or false",
            _ => "as a whole number",
        });

    /// <summary>Runs the command line with the given writers; never throws for user mistakes.</summary>
    public static int Run(string[] args, CliContext context)
    {
        var root = Commands.Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                context.Err.WriteLine($"ecsmm: {Plain(e.Message)}");
            }

            context.Err.WriteLine("Run 'ecsmm --help' (or 'ecsmm COMMAND --help') for usage and examples.");
            return ExitCodes.UsageError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Err, EnableDefaultExceptionHandler = false });
        }
        catch (UserInputException e)
        {
            context.Err.WriteLine($"ecsmm: error: {e.Message}");
            return ExitCodes.UsageError;
        }
        catch (PipelineException e)
        {
            context.Err.WriteLine($"ecsmm: error: pipeline: {e.Message}");
            return ExitCodes.UsageError;
        }
        catch (Exception e) when (context.Environment("ECSMM_DEBUG") is null)
        {
            context.Err.WriteLine($"ecsmm: internal error: {e.GetType().Name}: {e.Message} (set ECSMM_DEBUG=1 for the stack trace)");
            return ExitCodes.SimulationFailed;
        }
    }
}
