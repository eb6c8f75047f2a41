using EcsMm.Samples.CustomSystem;

namespace EcsMm.Scenarios.Tests;

/// <summary>--plugin: systems found by interface and attribute join the pipeline; bad assemblies are clear errors.</summary>
public sealed class PluginTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SampleSystemJoinsThePipelineAndReportsMetrics()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var dll = typeof(HighestFreeOrderProbe).Assembly.Location;
        var r = Cli.Run("run", s, "--plugin", dll, "--json", _dir.Combine("r.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("HighestFreeOrderProbe.steps_observed", r.Out);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_dir.Combine("r.json")));
        var metrics = doc.RootElement.GetProperty("modes")[0].GetProperty("metrics");

        // One observation per pipeline step: 3 iterations of 2 steps.
        Assert.Equal(6, metrics.GetProperty("HighestFreeOrderProbe.steps_observed").GetInt32());
        Assert.InRange(metrics.GetProperty("HighestFreeOrderProbe.lowest_highest_free_order").GetInt32(), 0, 10);
        Assert.Equal("EcsMm.Samples.CustomSystem.dll", doc.RootElement.GetProperty("provenance").GetProperty("plugins")[0].GetString());
    }

    [Fact]
    public void AFileThatIsNotAnAssemblyIsExit2()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var fake = _dir.File("fake.dll", "this is not a PE file");
        var r = Cli.Run("run", s, "--plugin", fake);
        r.AssertUserError("fake.dll: --plugin: not a .NET assembly");
    }

    [Fact]
    public void AMissingPluginIsExit2()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var r = Cli.Run("run", s, "--plugin", _dir.Combine("missing.dll"));
        r.AssertUserError("missing.dll: --plugin: file not found");
    }

    [Fact]
    public void AnAssemblyWithoutSystemsIsExit2()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var yaml = typeof(YamlDotNet.RepresentationModel.YamlNode).Assembly.Location;
        var r = Cli.Run("run", s, "--plugin", yaml);
        r.AssertUserError("--plugin: no public class implementing EcsMm.Ecs.ISystem");
    }
}
