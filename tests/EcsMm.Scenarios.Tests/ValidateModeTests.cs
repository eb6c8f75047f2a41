namespace EcsMm.Scenarios.Tests;

/// <summary>--validate: a clean run exits 0 with 0 violations; a planted double free of an order-10 block (the
/// invariant checker finds the page in two free blocks) makes the run fail with exit 1.</summary>
public sealed class ValidateModeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CleanRunPassesValidation()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var r = Cli.Run("run", s, "--validate");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Matches(@"invariant_violations\s+0\s+0", r.Out);
    }

    [Fact]
    public void PlantedDoubleFreeFailsValidationWithExit1()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var r = Cli.Run("run", s, "--validate", "--plugin", typeof(DoubleFreeSystem).Assembly.Location);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("validation failed", r.Err);
        Assert.Matches(@"invariant_violations\s+[1-9]", r.Out);
        Assert.Matches("page [0-9a-f]+ is in two free blocks", r.Out);
    }

    [Fact]
    public void WithoutValidateTheCheckerDoesNotRunAndTheExitIsZero()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var r = Cli.Run("run", s, "--plugin", typeof(DoubleFreeSystem).Assembly.Location);
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("invariant_violations", r.Out);
    }
}
