namespace EcsMm.Scenarios.Tests;

/// <summary>Plots and /proc files written under --out from a real (small) run.</summary>
public sealed class PlotTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void OutFolderHoldsPngPlotsAndProcSnapshots()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var outDir = _dir.Combine("out");
        var r = Cli.Run("run", s, "--quiet", "-o", outDir, "--snapshot", "iteration:2");
        Assert.True(r.ExitCode == 0, r.Err);
        foreach (var png in new[] { "free-blocks-per-order-baseline.png", "free-blocks-per-order-optimized.png", "free-pages.png", "zeroing-per-iteration.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(outDir, "plots", png));
            Assert.True(bytes.Length > 5000);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }

        foreach (var point in new[] { "boot", "iteration-2", "end" })
        {
            var dir = Path.Combine(outDir, "snapshots", "baseline", point);
            Assert.StartsWith("Node 0, zone      DMA ", File.ReadAllText(Path.Combine(dir, "buddyinfo")));
            Assert.StartsWith("Page block order: 9\n", File.ReadAllText(Path.Combine(dir, "pagetypeinfo")));
            Assert.StartsWith("nr_free_pages ", File.ReadAllText(Path.Combine(dir, "vmstat")));
        }

        Assert.NotEqual(
            File.ReadAllText(Path.Combine(outDir, "snapshots", "baseline", "boot", "buddyinfo")),
            File.ReadAllText(Path.Combine(outDir, "snapshots", "baseline", "end", "buddyinfo")));
    }
}
