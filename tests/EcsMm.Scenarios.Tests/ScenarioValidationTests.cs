namespace EcsMm.Scenarios.Tests;

/// <summary>Bad scenario input through the entry point: exit 2, the file, line and key named, what was expected, no stack trace.</summary>
public sealed class ScenarioValidationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliResult RunScenario(string text, params string[] extra)
    {
        var path = _dir.File("s.yaml", text);
        return Cli.Run(["run", path, "--quiet", .. extra]);
    }

    [Fact]
    public void MalformedYamlNamesTheLine()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\n  cpus: [1, 2\n");
        r.AssertUserError("s.yaml:", "malformed YAML");
        Assert.Matches(@"s\.yaml:[45]: malformed YAML", r.Err);
    }

    [Fact]
    public void AHugetlbMappingLargerThanThePoolsIsRejectedAsMmapWould__hugetlb_reserve_pages()
    {
        var r = RunScenario("name: h\nguest: {memory: 1G}\nhugetlb: {nr_hugepages: 10}\niteration: [{alloc_once: {size: 256M, huge: hugetlb}}]\n");
        r.AssertUserError("s.yaml:4: iteration[].alloc_once.size", "ENOMEM");
    }

    [Fact]
    public void AStepNoHandlerExecutesIsRefusedNotSkipped()
    {
        var text = "name: b\nguest: {memory: 1G}\niteration:\n  - {background: {workload: slab, size: 64M}}\n  - {alloc_once: {size: 64M}}\n";
        var loaded = Model.ScenarioLoader.Parse(text, "s.yaml");
        var withoutBackground = Running.PipelineExecutor.DefaultHandlers().Where(h => h is not Running.BackgroundStepHandler).ToList();
        var e = Assert.Throws<EcsMm.Scenarios.Cli.UserInputException>(() => new Running.PipelineExecutor(withoutBackground).Execute(loaded, new Running.RunOptions()));
        Assert.Contains("s.yaml:4: background: this engine does not execute it", e.Message);
    }

    [Fact]
    public void ABackgroundStepLoadsPageCacheAndSlab_ThatDropCachesFrees()
    {
        var path = _dir.File("bg.yaml", "name: bg\nguest: {memory: 512M}\nballoon: {host_zeroes_pages: 1}\niterations: 2\niteration:\n  - {background: {workload: mixed, size: 32M}}\n  - drop_caches\n  - {alloc_once: {size: 16M}}\n");
        var json = Path.Combine(_dir.Path, "bg.json");
        var r = Cli.Run("run", path, "--quiet", "--json", json);
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var metrics = doc.RootElement.GetProperty("modes")[0].GetProperty("metrics");
        Assert.Equal(2 * 8192, metrics.GetProperty("background_pages_loaded").GetDouble());
        Assert.True(metrics.GetProperty("pages_dropped_from_cache").GetDouble() >= 2 * 8192);
    }

    [Fact]
    public void UnknownTopLevelKeyNamesLineAndKey()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\niteratons: 3\n");
        r.AssertUserError("s.yaml:4: iteratons: unknown key", "iterations");
    }

    [Fact]
    public void UnknownNestedKeyNamesTheDottedKey()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\nthp:\n  enabeld: always\n");
        r.AssertUserError("s.yaml:5: thp.enabeld: unknown key", "enabled");
    }

    [Fact]
    public void UnknownStepParameterIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\niteration:\n  - alloc_once: {size: 1M, hge: hugetlb}\n");
        r.AssertUserError("s.yaml:5: iteration[].alloc_once.hge: unknown key");
    }

    [Fact]
    public void NegativeSizeIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: -2G\n");
        r.AssertUserError("s.yaml:3: guest.memory:", "negative", "expected a size");
    }

    [Fact]
    public void AbsurdGuestSizeIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64T\n");
        r.AssertUserError("s.yaml:3: guest.memory:", "out of range");
    }

    [Fact]
    public void StepLargerThanTheGuestIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\niteration:\n  - alloc_once: {size: 1G}\n");
        r.AssertUserError("s.yaml:5: iteration[].alloc_once.size:", "out of range");
    }

    [Fact]
    public void GarbageSizeSaysWhatWasExpected()
    {
        var r = RunScenario("name: x\nguest:\n  memory: lots\n");
        r.AssertUserError("s.yaml:3: guest.memory:", "K, M, G or T");
    }

    [Fact]
    public void ReportingOrderAboveTenIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\nreporting:\n  order: 11\n");
        r.AssertUserError("s.yaml:5: reporting.order:", "MAX_PAGE_ORDER");
    }

    [Fact]
    public void ChurnOrderAboveTenIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\niteration:\n  - churn: {operations: 10, live: 1M, max_order: 12}\n");
        r.AssertUserError("s.yaml:5: iteration[].churn.max_order:", "MAX_PAGE_ORDER");
    }

    [Fact]
    public void MthpOrderAboveTenIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\nthp:\n  mthp_orders: [4, 11]\n");
        r.AssertUserError("s.yaml:5: thp.mthp_orders:", "order 11", "MAX_PAGE_ORDER");

        // A step's parameters must be a mapping; the example is the step's own.
        RunScenario("name: x\nguest:\n  memory: 64M\niteration:\n  - thp: never\n").AssertUserError("s.yaml:5", "{enabled: never}");

        // Order 9 is the PMD THP, switched by thp.enabled, not an mTHP size the fault path could take.
        RunScenario("name: x\nguest:\n  memory: 64M\nthp:\n  mthp_orders: [9]\n").AssertUserError("s.yaml:5: thp.mthp_orders:", "2..8");
    }

    [Fact]
    public void EnumValueOutsideTheChoicesIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\nthp:\n  enabled: sometimes\n");
        r.AssertUserError("s.yaml:5: thp.enabled:", "always, madvise, never");
    }

    [Fact]
    public void WrongTypeSaysWhatWasExpected()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\niterations: many\n");
        r.AssertUserError("s.yaml:4: iterations:", "whole number");
    }

    [Fact]
    public void UnknownStepIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\niteration:\n  - compact\n");
        r.AssertUserError("s.yaml:5: iteration[].compact: unknown step", "alloc_once");
    }

    [Fact]
    public void MissingGuestIsAnError()
    {
        var r = RunScenario("name: x\niterations: 2\n");
        r.AssertUserError("guest: missing");
    }

    [Fact]
    public void MissingScenarioFileIsAnError()
    {
        var r = Cli.Run("run", _dir.Combine("nope.yaml"));
        r.AssertUserError("nope.yaml: no such scenario file");
    }

    [Fact]
    public void MissingCostProfileNamesLineAndKey()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\ncosts: missing.costs.yaml\n");
        r.AssertUserError("s.yaml:4: costs:", "missing.costs.yaml", "not found");
    }

    [Fact]
    public void SnapshotPointOutsideTheIterationsIsAnError()
    {
        var r = RunScenario("name: x\nguest:\n  memory: 64M\niterations: 2\nsnapshots: [iteration:3]\n");
        r.AssertUserError("s.yaml:5: snapshots:", "outside 1..2");
    }

    [Fact]
    public void BadSetOverrideNamesTheOverride()
    {
        var r = RunScenario(ScenarioText.Small, "--set", "guest.memory=-1G");
        r.AssertUserError("--set guest.memory=-1G: guest.memory:", "negative");
    }

    [Fact]
    public void SetWithoutAnEqualsSignIsExit2()
    {
        var r = RunScenario(ScenarioText.Small, "--set", "guest.memory");
        r.AssertUserError("--set 'guest.memory': expected KEY=VALUE");
    }

    [Fact]
    public void MissingCostsFileOnTheCommandLineIsExit2()
    {
        var r = RunScenario(ScenarioText.Small, "--costs", _dir.Combine("nope.costs.yaml"));
        r.AssertUserError("--costs:", "nope.costs.yaml: file not found");
    }

    [Fact]
    public void ExistingCostsFileIsRecordedInTheParameters()
    {
        var costs = _dir.File("m.costs.yaml", "measured:\n  zero_4k_bytes_per_second: 1\n");
        var path = _dir.File("s.yaml", ScenarioText.Small);
        var r = Cli.Run("run", path, "--quiet", "--costs", costs, "--json", _dir.Combine("r.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("\"costs\": \"m.costs.yaml\"", File.ReadAllText(_dir.Combine("r.json")));
    }

    [Fact]
    public void BadCommandLineOptionIsExit2()
    {
        var r = Cli.Run("run", "seed-thp", "--sed", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--sed", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void ValidScenarioLoadsWithEveryKey()
    {
        var text = """
            name: full
            description: every key
            seed: 9
            iterations: 2
            kernel: "6.1"
            guest:
              memory: 128M
              cpus: 2
              zones: {dma: 16M, dma32: 4G}
              reserved: [{start: 0, size: 1M}]
              init_on_alloc: false
              init_on_free: false
            thp: {enabled: madvise, defrag: defer, mthp_orders: [2, 4]}
            hugetlb: {nr_hugepages: 4, nr_overcommit_hugepages: 8}
            reporting: {enabled: true, order: 9, capacity: 32, delay_seconds: 2, flush_budget: 512}
            balloon: {host_zeroes_pages: [0, 1]}
            host: {page_size: 2M, discard_inhibited: true, poison: false}
            snapshots: [boot, setup, iteration:1, end]
            setup:
              - flush: {pages: 512}
            iteration:
              - drop_caches
              - sleep: {seconds: 1}
              - background: {workload: page_cache, size: 8M}
              - alloc_once: {size: 16M, huge: hugetlb}
              - churn: {operations: 100, live: 1M}
            """;
        var loaded = Model.ScenarioLoader.Parse(text, "full.yaml");
        var s = loaded.Spec;
        Assert.Equal("6.1", s.Kernel);
        Assert.Equal(128L << 20, s.Guest.MemoryBytes);
        Assert.Equal([2, 4], s.Thp.MthpOrders);
        Assert.Equal(8, s.Hugetlb.NrOvercommitHugepages);
        Assert.Equal(2L << 20, s.Host.PageSizeBytes);
        Assert.Equal(5, s.Iteration.Count);
        Assert.Equal(22, s.Iteration[0].Line);
        Assert.Equal(24, s.Iteration[2].Line);
        Assert.Equal(64, loaded.Sha256.Length);
    }

    [Fact]
    public void VmOnlyKeysInAnAllocatorOnlyScenarioAreWarnedAbout_NotSilentlyIgnored()
    {
        var r = RunScenario("name: w\nguest: {memory: 256M}\nreporting: {order: 5}\nhost: {page_size: 2M}\niteration:\n  - churn: {operations: 100, live: 1M}\n");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("reporting (line 3), host (line 4): not used", r.Err);

        // A key that came from --set is named by its override, not by a line of the file it is not in.
        var set = RunScenario("name: w\nguest: {memory: 256M}\niteration:\n  - churn: {operations: 100, live: 1M}\n", "--set", "bench.after_baseline=true");
        Assert.Contains("bench (--set bench.after_baseline=true): not used", set.Err);

        var vm = RunScenario("name: v\nguest: {memory: 256M}\nreporting: {order: 9}\niterations: 1\niteration:\n  - alloc_once: {size: 8M}\n");
        Assert.Equal(0, vm.ExitCode);
        Assert.DoesNotContain("not used", vm.Err);
    }

    [Fact]
    public void AGuestWhosePageStateCannotFitIsRefusedUpFront_NotKilledByTheOom()
    {
        const long eightTiB = 8388606L << 20;
        var need = (eightTiB >> 12) * Running.PipelineExecutor.BytesPerPageVm;
        if (need <= GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 9 / 10)
        {
            return; // a machine this large would run it
        }

        var r = RunScenario("name: big\nguest: {memory: 8388606M}\niteration:\n  - alloc_once: {size: 16M}\n");
        r.AssertUserError("s.yaml", "guest.memory", "GiB for its page state");
    }

    [Fact]
    public void SweepAndCalibrateInputErrorsAreExit2()
    {
        var grid = _dir.File("g.yaml", "scenario: allocator-churn\ngrid:\n  [a]: [1]\n");
        Cli.Run("sweep", "plan", grid, "-o", Path.Combine(_dir.Path, "m.csv")).AssertUserError("g.yaml:3", "dotted scenario key");

        var manifest = _dir.File("m0.csv", "index,row_id,seed,scenario\n");
        var file = _dir.File("not-a-dir", "x");
        Cli.Run("sweep", "run", manifest, "--out", Path.Combine(file, "out")).AssertUserError("--out", "cannot create");

        Cli.Run("calibrate", "--buffer", "2G").AssertUserError("--buffer", "4M to 1G");
    }

    [Fact]
    public void OverridesAndOptionsAreNamedInTheirErrors_WithoutDotnetTypeNames()
    {
        var unknown = Cli.Run("run", "seed-thp", "-q", "--set", "guest.nosuch=1");
        unknown.AssertUserError("--set guest.nosuch=1", "unknown key");
        Assert.DoesNotContain("seed-thp.yaml:1", unknown.Err);

        Cli.Run("run", "seed-thp", "-q", "--seed", "abc").AssertUserError("--seed 'abc'", "whole number");
        var index = Cli.Run("sweep", "run", "x.csv", "--index", "abc");
        Assert.Equal(2, index.ExitCode);
        Assert.DoesNotContain("System.", index.Err);
    }

    [Fact]
    public void ADirectoryWhereAFileIsExpectedIsSaidSo()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir.Path, "adir")).FullName;
        Cli.Run("run", dir).AssertUserError("is a directory");
        Cli.Run("run", "seed-thp", "--costs", dir).AssertUserError("--costs", "is a directory");
        Cli.Run("replay", dir, "--memory", "1G").AssertUserError("is a directory");
    }
}
