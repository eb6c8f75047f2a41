using Spectre.Console;

namespace EcsMm.Scenarios.Cli;

/// <summary>Where the command line writes and what it knows of its environment (tests give their own writers).</summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool interactive, Func<string, string?>? environment = null)
    {
        Out = output;
        Err = error;
        Interactive = interactive;
        Environment = environment ?? System.Environment.GetEnvironmentVariable;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            Console.Profile.Width = 160;
        }
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    /// <summary>Standard output is a terminal (not redirected): progress bars and colours are allowed.</summary>
    public bool Interactive { get; }

    public Func<string, string?> Environment { get; }

    public IAnsiConsole Console { get; }

    /// <summary>The process's own console.</summary>
    public static CliContext FromProcess() =>
        new(System.Console.Out, System.Console.Error, !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected);
}
