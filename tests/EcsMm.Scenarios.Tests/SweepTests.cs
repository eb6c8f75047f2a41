using EcsMm.Scenarios.Sweeps;

namespace EcsMm.Scenarios.Tests;

/// <summary>Sweeps: stable manifests, row selection from Slurm / Kubernetes variables, idempotent rows, merge equals local runs.</summary>
public sealed class SweepTests : IDisposable
{
    private const string Grid = """
        scenario: small.yaml
        seed: 11
        grid:
          guest.memory: [192M, 256M]
          balloon.host_zeroes_pages: [0, 1]
        """;

    private readonly TempDir _dir = new();

    public SweepTests()
    {
        _dir.File("small.yaml", ScenarioText.Small);
        _dir.File("grid.yaml", Grid);
    }

    public void Dispose() => _dir.Dispose();

    private List<string> Plan(string name)
    {
        var r = Cli.Run("sweep", "plan", _dir.Combine("grid.yaml"), "-o", _dir.Combine(name));
        Assert.True(r.ExitCode == 0, r.Err);
        return File.ReadAllLines(_dir.Combine(name)).ToList();
    }

    [Fact]
    public void PlanGivesOneRowPerGridPointWithStableIdsAndSeeds()
    {
        var a = Plan("m1.csv");
        var b = Plan("m2.csv");
        Assert.Equal(a, b);
        Assert.Equal(5, a.Count);
        Assert.Equal("index,row_id,seed,scenario,guest.memory,balloon.host_zeroes_pages", a[0]);
        var ids = a.Skip(1).Select(l => l.Split(',')[1]).ToList();
        var seeds = a.Skip(1).Select(l => l.Split(',')[2]).ToList();
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(4, seeds.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{12}$", id));
        Assert.EndsWith(",192M,0", a[1]);
        Assert.EndsWith(",256M,1", a[4]);
    }

    [Fact]
    public void RowIdDoesNotDependOnRowOrder()
    {
        var p1 = new List<KeyValuePair<string, string>> { new("a", "1"), new("b", "2") };
        var p2 = new List<KeyValuePair<string, string>> { new("b", "2"), new("a", "1") };
        Assert.Equal(SweepPlan.RowId("s", p1, 0, 1), SweepPlan.RowId("s", p2, 0, 1));
        Assert.NotEqual(SweepPlan.RowId("s", p1, 0, 2), SweepPlan.RowId("s", p1, 1, 2));
    }

    [Fact]
    public void RunAllMergeAndCompareWithSingleRows()
    {
        Plan("manifest.csv");
        var out1 = _dir.Combine("out");
        var r = Cli.Run("sweep", "run", _dir.Combine("manifest.csv"), "--out", out1, "--parallel", "2");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("4 rows run, 0 already done", r.Out);

        // A retried shard finds its rows done.
        var again = Cli.Run("sweep", "run", _dir.Combine("manifest.csv"), "--out", out1);
        Assert.Contains("0 rows run, 4 already done", again.Out);

        var m = Cli.Run("sweep", "merge", out1, "-o", _dir.Combine("merged.csv"));
        Assert.True(m.ExitCode == 0, m.Err);
        var merged = File.ReadAllLines(_dir.Combine("merged.csv"));
        Assert.StartsWith("index,row_id,seed,guest.memory,balloon.host_zeroes_pages,mode,host_zeroes_pages,metric,value", merged[0]);
        Assert.Equal(Enumerable.Range(0, 4), merged.Skip(1).Select(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).Distinct());

        // Row 2 alone, chosen by SLURM_ARRAY_TASK_ID, into another folder, gives the same lines.
        var out2 = _dir.Combine("out2");
        var one = Cli.RunWith(v => v == "SLURM_ARRAY_TASK_ID" ? "2" : null, "sweep", "run", _dir.Combine("manifest.csv"), "--out", out2);
        Assert.True(one.ExitCode == 0, one.Err);
        Assert.Contains("row 2 (", one.Out);
        var single = File.ReadAllLines(Directory.GetFiles(out2, "result.csv", SearchOption.AllDirectories).Single()).Skip(1);
        Assert.Equal(merged.Where(l => l.StartsWith("2,", StringComparison.Ordinal)), single);
    }

    [Fact]
    public void JobCompletionIndexSelectsTheRow()
    {
        Plan("manifest.csv");
        var r = Cli.RunWith(v => v == "JOB_COMPLETION_INDEX" ? "1" : null, "sweep", "run", _dir.Combine("manifest.csv"), "--out", _dir.Combine("o"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("row 1 (", r.Out);
        Assert.Single(Directory.GetDirectories(_dir.Combine("o")));
    }

    [Fact]
    public void IndexOutsideTheManifestIsExit2()
    {
        Plan("manifest.csv");
        var r = Cli.Run("sweep", "run", _dir.Combine("manifest.csv"), "--index", "9", "--out", _dir.Combine("o"));
        r.AssertUserError("--index: row 9 is outside the manifest's rows 0..3");
    }

    [Fact]
    public void BadGridValueFailsAtPlanTime()
    {
        var grid = _dir.File("bad.yaml", "scenario: small.yaml\ngrid:\n  reporting.order: [9, 12]\n");
        var r = Cli.Run("sweep", "plan", grid, "-o", _dir.Combine("m.csv"));
        r.AssertUserError("grid point 1", "reporting.order", "MAX_PAGE_ORDER");
    }

    [Fact]
    public void MergeOfAMissingFolderIsExit2()
    {
        Cli.Run("sweep", "merge", _dir.Combine("nothing"), "-o", _dir.Combine("m.csv")).AssertUserError("nothing: sweep output folder not found");
    }

    [Fact]
    public void ManifestNotFromPlanIsExit2()
    {
        var bad = _dir.File("bad.csv", "a,b,c\n1,2,3\n");
        Cli.Run("sweep", "run", bad).AssertUserError("bad.csv:1: expected the header to start with index,row_id,seed,scenario");
    }

    [Fact]
    public void UnknownGridKeyNamesTheLine()
    {
        var grid = _dir.File("bad.yaml", "scenario: small.yaml\ngird:\n  guest.memory: [1G]\n");
        var r = Cli.Run("sweep", "plan", grid, "-o", _dir.Combine("m.csv"));
        r.AssertUserError("bad.yaml:2: gird: unknown key");
    }

    [Fact]
    public void TheShippedSensitivityGridPlansEightVmRowsWithoutWarnings()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EcsMm.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var grid = Path.Combine(root!.FullName, "samples", "sweeps", "seed-thp-sensitivity.yaml");
        var manifest = Path.Combine(_dir.Path, "sens.csv");
        var r = Cli.Run("sweep", "plan", grid, "-o", manifest);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.DoesNotContain("warning", r.Err);
        Assert.Equal(13, File.ReadAllLines(manifest).Length); // header + 2 × 3 × 2 rows
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../../etc")]
    [InlineData("")]
    public void AHandEditedRowIdThatIsNotAnIdIsRefused_AndNothingOutsideTheOutputIsTouched(string rowId)
    {
        var lines = Plan("m.csv");
        var cells = lines[1].Split(',');
        cells[1] = rowId;
        lines[1] = string.Join(",", cells);
        File.WriteAllLines(_dir.Combine("bad.csv"), lines);
        var outer = Directory.CreateDirectory(_dir.Combine("a"));
        File.WriteAllText(Path.Combine(outer.FullName, "canary"), "x");

        Cli.Run("sweep", "run", _dir.Combine("bad.csv"), "--out", Path.Combine(outer.FullName, "b", "out")).AssertUserError("bad.csv:2", "row_id");
        Assert.True(File.Exists(Path.Combine(outer.FullName, "canary")));
    }

    [Fact]
    public void AGridWithTheSameRunTwiceIsRefusedAtPlanTime()
    {
        File.WriteAllText(_dir.Combine("dup.yaml"), "scenario: allocator-churn\nseed: 1\ngrid:\n  iterations: [1, 1]\n");
        Cli.Run("sweep", "plan", _dir.Combine("dup.yaml"), "-o", _dir.Combine("dup.csv")).AssertUserError("dup.yaml", "same run");
    }

    [Fact]
    public void MergeWarnsAboutRowFoldersWithoutResults()
    {
        Plan("manifest.csv");
        var outDir = _dir.Combine("outw");
        Assert.Equal(0, Cli.RunWith(v => v == "SLURM_ARRAY_TASK_ID" ? "0" : null, "sweep", "run", _dir.Combine("manifest.csv"), "--out", outDir).ExitCode);
        Directory.CreateDirectory(Path.Combine(outDir, "0123456789ab")); // a row still running, or one that failed
        var m = Cli.Run("sweep", "merge", outDir, "-o", _dir.Combine("partial.csv"));
        Assert.Equal(0, m.ExitCode);
        Assert.Contains("1 row folder(s) have no", m.Err);
        Assert.Contains("0123456789ab", m.Err);
    }
}
