using EcsMm.Scenarios.Cli;

namespace EcsMm.Scenarios.Tests;

/// <summary>Runs the ecsmm entry point with captured stdout and stderr, non-interactive.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args) => RunWith(_ => null, args);

    public static CliResult RunWith(Func<string, string?> env, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Run(args, new CliContext(output, error, interactive: false, env));
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    /// <summary>A user error: exit 2, a message on stderr, no stack trace.</summary>
    public void AssertUserError(params string[] mustContain)
    {
        Assert.True(ExitCode == 2, $"exit {ExitCode}; stderr: {Err}; stdout: {Out}");
        foreach (var s in mustContain)
        {
            Assert.Contains(s, Err);
        }

        Assert.DoesNotContain("   at ", Err);
        Assert.DoesNotContain("Exception", Err);
    }
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ecsmm-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string text)
    {
        var p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(p, text);
        return p;
    }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
