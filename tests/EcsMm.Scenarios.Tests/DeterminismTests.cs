namespace EcsMm.Scenarios.Tests;

/// <summary>The same scenario and seed give byte-identical JSON (and CSV), run after run; another seed does not.</summary>
public sealed class DeterminismTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SameScenarioAndSeedGiveByteIdenticalJson()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        var a = Cli.Run("run", s, "--quiet", "--json", _dir.Combine("a.json"), "--csv", _dir.Combine("a.csv"));
        var b = Cli.Run("run", s, "--quiet", "--json", _dir.Combine("b.json"), "--csv", _dir.Combine("b.csv"));
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        var ja = File.ReadAllBytes(_dir.Combine("a.json"));
        Assert.True(ja.Length > 1000);
        Assert.Equal(ja, File.ReadAllBytes(_dir.Combine("b.json")));
        Assert.Equal(File.ReadAllBytes(_dir.Combine("a.csv")), File.ReadAllBytes(_dir.Combine("b.csv")));
    }

    [Fact]
    public void AnotherSeedGivesOtherResults()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        Assert.Equal(0, Cli.Run("run", s, "--quiet", "--json", _dir.Combine("a.json")).ExitCode);
        Assert.Equal(0, Cli.Run("run", s, "--quiet", "--seed", "6", "--json", _dir.Combine("b.json")).ExitCode);
        var a = File.ReadAllText(_dir.Combine("a.json"));
        var b = File.ReadAllText(_dir.Combine("b.json"));
        Assert.Contains("\"seed\": 5", a);
        Assert.Contains("\"seed\": 6", b);
        Assert.NotEqual(Metric(a, "pgalloc_dma32"), Metric(b, "pgalloc_dma32"));
    }

    [Fact]
    public void JsonCarriesProvenance()
    {
        var s = _dir.File("small.yaml", ScenarioText.Small);
        Assert.Equal(0, Cli.Run("run", s, "--quiet", "--json", _dir.Combine("a.json")).ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_dir.Combine("a.json")));
        var p = doc.RootElement.GetProperty("provenance");
        Assert.Equal("small", p.GetProperty("scenario").GetString());
        Assert.Equal(64, p.GetProperty("scenario_sha256").GetString()!.Length);
        Assert.Equal(5UL, p.GetProperty("seed").GetUInt64());
        Assert.False(string.IsNullOrEmpty(p.GetProperty("ecsmm_commit").GetString()));
        Assert.True(p.GetProperty("machine").GetProperty("cores").GetInt32() >= 1);
        var pars = doc.RootElement.GetProperty("parameters");
        Assert.Equal(256L << 20, pars.GetProperty("guest").GetProperty("memory_bytes").GetInt64());
        Assert.Equal(3, pars.GetProperty("iterations").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("modes").GetArrayLength());

        // Per-iteration zeroing: churn with zero: true allocates with __GFP_ZERO, so post_alloc_hook zeroes every page.
        var its = doc.RootElement.GetProperty("modes")[0].GetProperty("iterations");
        Assert.Equal(3, its.GetArrayLength());
        foreach (var it in its.EnumerateArray())
        {
            Assert.True(it.GetProperty("pages_allocated").GetInt64() > 0);
            Assert.Equal(it.GetProperty("pages_allocated").GetInt64(), it.GetProperty("pages_zeroed_by_alloc_hook").GetInt64());
        }
    }

    private static string Metric(string json, string name)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("modes")[0].GetProperty("metrics").GetProperty(name).GetRawText();
    }
}
