using System.Text.Json;

namespace EcsMm.Scenarios.Tests;

/// <summary>The `thp` step: a write to transparent_hugepage/enabled in the middle of a scenario.</summary>
public sealed class ThpStepTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private JsonElement Metrics(string yaml)
    {
        var file = _dir.File("t.yaml", yaml);
        var json = Path.Combine(_dir.Path, "t.json");
        var r = Cli.Run("run", file, "--quiet", "--no-write-variant", "--json", json);
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.GetProperty("modes")[0].GetProperty("metrics").Clone();
    }

    [Fact]
    public void SwitchingThpOffStopsThpFaults_AndLowersMinFreeKbytes__start_stop_khugepaged()
    {
        const string Head = "name: t\niterations: 2\nguest: {memory: 512M}\nballoon: {host_zeroes_pages: 0}\n";
        var always = Metrics(Head + "iteration:\n  - alloc_once: {size: 16M}\n");
        var switched = Metrics(Head + "iteration:\n  - alloc_once: {size: 16M}\n  - thp: {enabled: never}\n");

        // Run 1 maps 8 THPs in both; after the switch run 2 maps 4,096 small pages instead.
        Assert.Equal(16, always.GetProperty("faults_thp").GetDouble());
        Assert.Equal(8, switched.GetProperty("faults_thp").GetDouble());
        Assert.Equal(4096, switched.GetProperty("faults_order0").GetDouble());
        Assert.Equal(2, switched.GetProperty("thp_mode_writes").GetDouble());

        // khugepaged's recommendation no longer holds min_free_kbytes up.
        Assert.True(switched.GetProperty("min_free_kbytes").GetDouble() < always.GetProperty("min_free_kbytes").GetDouble());
    }

    [Fact]
    public void AnUnknownModeIsRefusedWithItsLine()
    {
        var file = _dir.File("bad.yaml", "name: b\nguest: {memory: 512M}\niteration:\n  - thp: {enabled: sometimes}\n");
        Cli.Run("run", file, "--quiet").AssertUserError("bad.yaml:4", "thp.enabled");
    }
}
