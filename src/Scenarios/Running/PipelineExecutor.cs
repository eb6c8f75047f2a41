using EcsMm.Bench;
using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Mm.Systems;
using EcsMm.Scenario;
using EcsMm.Scenarios.Model;
using EcsMm.Scenarios.Output;

namespace EcsMm.Scenarios.Running;

/// <summary>
/// The executor of today's model: for each mode it boots a guest, then runs one pipeline step per workload step —
/// the Workload phase executes the step through the registered <see cref="IStepHandler"/>s, the Validate phase runs
/// the invariant checker (validate mode), the Metrics phase samples the free areas — and collects metrics and /proc
/// snapshots. Steps that no handler executes are listed in the result, never faked.
/// </summary>
public sealed class PipelineExecutor : IScenarioExecutor
{
    private readonly IReadOnlyList<IStepHandler> _handlers;

    public PipelineExecutor(IReadOnlyList<IStepHandler>? handlers = null)
    {
        _handlers = handlers ?? DefaultHandlers();
    }

    /// <summary>The handlers for the steps the engine models.</summary>
    public static IReadOnlyList<IStepHandler> DefaultHandlers() =>
        [new ChurnStepHandler(), new SleepStepHandler(), new AllocOnceStepHandler(), new FlushStepHandler(), new DropCachesStepHandler(), new BackgroundStepHandler(), new ThpStepHandler()];

    /// <summary>Why a step kind is not executed.</summary>
    public static string PendingReason(string kind) => kind switch
    {
        _ => "no handler for this step",
    };

    /// <summary>
    /// Memory the simulation needs per guest page, measured: the allocator's 12 B row, plus for the VM model the
    /// host's and the truth's per-page state (a 2 TiB seed-thp peaked at 12.7 GB, about 24 B per page).
    /// </summary>
    public const int BytesPerPageAllocatorOnly = 12;

    /// <inheritdoc cref="BytesPerPageAllocatorOnly"/>
    public const int BytesPerPageVm = 24;

    /// <summary>
    /// Refuse a guest whose page state cannot fit in the memory this process may use, before the kernel's OOM killer
    /// ends the run without a word.
    /// </summary>
    private static void RefuseWhatCannotFit(LoadedScenario scenario)
    {
        var spec = scenario.Spec;
        var pages = spec.Guest.MemoryBytes >> Mm.MmConstants.PageShift;
        var need = pages * (NeedsVm(spec) ? BytesPerPageVm : BytesPerPageAllocatorOnly);
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && need > available * 9 / 10)
        {
            throw new Cli.UserInputException(
                $"{scenario.Source}: guest.memory {Model.SizeText.Format(spec.Guest.MemoryBytes)} needs about {need >> 30} GiB for its page state; this process may use {available >> 30} GiB");
        }
    }

    /// <summary>A scenario with these steps runs on the whole VM model (faults, reporting, host, user memory, background work).</summary>
    public static bool NeedsVm(ScenarioSpec spec) => spec.Setup.Concat(spec.Iteration).Any(s => s.NeedsVm);

    public ScenarioResult Execute(LoadedScenario scenario, RunOptions options, IProgress<RunProgress>? progress = null)
    {
        var spec = scenario.Spec;

        // A step no handler executes would leave the run measuring something else than the file says: refuse it.
        foreach (var step in spec.Setup.Concat(spec.Iteration))
        {
            if (!_handlers.Any(h => h.Handles(step)))
            {
                throw new Cli.UserInputException($"{scenario.Source}:{step.Line}: {step.Kind}: this engine does not execute it yet ({PendingReason(step.Kind)})");
            }
        }

        RefuseWhatCannotFit(scenario);
        var profile = CostProfileOf(spec);
        var perMode = spec.Setup.Count + ((long)spec.Iterations * spec.Iteration.Count);
        var writeVariant = options.WriteVariant ? WriteVariantOf(spec) : null;
        var total = perMode * (spec.Balloon.HostZeroesPages.Count + (writeVariant is null ? 0 : 2));
        var done = 0L;
        void StepDone() => progress?.Report(new RunProgress(++done, total));
        var modes = new List<ModeResult>();
        foreach (var hzp in spec.Balloon.HostZeroesPages)
        {
            modes.Add(RunMode(spec, hzp, options, StepDone));
        }

        var plugins = options.Plugins.Select(p => p.Assembly).Distinct().ToList();
        SeedBenchmarkResult? written = null;
        if (writeVariant is not null)
        {
            var variantOptions = options with { Validate = false, ExtraSnapshots = [] };
            var wb = RunMode(writeVariant, 0, variantOptions, StepDone).Vm!;
            var wo = RunMode(writeVariant, 1, variantOptions, StepDone).Vm!;
            written = new SeedBenchmarkResult(SeedBenchmarkSpecs.FromScenario(writeVariant), spec.Seed, wb, wo);
        }

        var costs = Costs(spec, modes, written, profile);
        if (costs is not null)
        {
            for (var i = 0; i < modes.Count; i++)
            {
                var estimates = modes[i].HostZeroesPages == 0 ? costs.Baseline : costs.Optimized;
                List<Metric> perf =
                [
                    new("task_clock_ms", Math.Round(estimates.Average(e => e.TaskClockMs), 3)),
                    new("cache_misses", Math.Round(estimates.Average(e => e.CacheMisses))),
                    new("instructions", Math.Round(estimates.Average(e => e.Instructions))),
                ];
                modes[i] = modes[i] with { Metrics = [.. perf, .. modes[i].Metrics] };
            }
        }

        return new ScenarioResult(scenario, modes, plugins) { Costs = costs };
    }

    /// <summary>
    /// The same scenario with every alloc_once writing its memory after populating it (<c>write: true</c>), to show what a
    /// workload that uses its memory would save; null when no iteration runs alloc_once, one already writes, the
    /// scenario is not a VM scenario, or it does not run both modes. It runs the scenario's plug-ins too (they are part
    /// of the system being measured) and no validation, snapshots or iteration output.
    /// </summary>
    private static ScenarioSpec? WriteVariantOf(ScenarioSpec spec)
    {
        // An alloc_once in the iterations makes it a VM scenario already.
        if (!spec.Iteration.Any(s => s is AllocOnceStep)
            || spec.Setup.Concat(spec.Iteration).Any(s => s is AllocOnceStep { Write: true })
            || !spec.Balloon.HostZeroesPages.Contains(0) || !spec.Balloon.HostZeroesPages.Contains(1))
        {
            return null;
        }

        static IReadOnlyList<WorkloadStep> Writing(IReadOnlyList<WorkloadStep> list) =>
            list.Select(s => s is AllocOnceStep a ? a with { Write = true } : s).ToList();
        return spec with { Setup = Writing(spec.Setup), Iteration = Writing(spec.Iteration), Snapshots = [] };
    }

    /// <summary>The scenario's cost profile (null: the default constants), read before anything runs. A bad file is a user error.</summary>
    private static Cost.CostProfile? CostProfileOf(ScenarioSpec spec)
    {
        if (spec.CostProfile is not { } path)
        {
            return null;
        }

        try
        {
            return Cost.CostProfileReader.LoadProfile(path);
        }
        catch (Cost.CostProfileException e)
        {
            throw new Cli.UserInputException(e.Message);
        }
    }

    /// <summary>
    /// The cost model's perf-stat estimate of a VM scenario that ran in both modes and runs alloc_once in its
    /// iterations (the table is per alloc_once run), with the scenario's cost profile or the default constants.
    /// </summary>
    private static Cost.CostReport? Costs(ScenarioSpec spec, List<ModeResult> modes, SeedBenchmarkResult? written, Cost.CostProfile? profile)
    {
        var baseline = modes.FirstOrDefault(m => m.HostZeroesPages == 0)?.Vm;
        var optimized = modes.FirstOrDefault(m => m.HostZeroesPages == 1)?.Vm;
        if (baseline is null || optimized is null || baseline.Iterations.Count == 0
            || !spec.Iteration.Any(s => s is AllocOnceStep))
        {
            return null;
        }

        var result = new SeedBenchmarkResult(SeedBenchmarkSpecs.FromScenario(spec), spec.Seed, baseline, optimized);
        return Cost.CostReport.Create(result, profile, written);
    }

    private ModeResult RunMode(ScenarioSpec spec, int hostZeroesPages, RunOptions options, Action stepDone)
    {
        var violations = new List<string>();
        VmRun? vm = null;
        Guest guest;
        if (NeedsVm(spec))
        {
            SeedGuest seedGuest;
            try
            {
                seedGuest = new SeedGuest(SeedBenchmarkSpecs.FromScenario(spec) with { ValidateMode = options.Validate }, spec.Seed, hostZeroesPages == 1);
            }
            catch (ArgumentException e)
            {
                // A scenario the loader accepts but the VM model cannot run is still the user's input.
                throw new Cli.UserInputException(e.Message);
            }

            guest = seedGuest.Guest;
            guest.Alloc.Validate = options.Validate;
            if (options.Validate)
            {
                guest.Pipeline.Add(PhaseNames.Validate, new InvariantCheckSystem(guest.Alloc));
            }

            try
            {
                seedGuest.PrepareForBench(
                    (int)spec.Hugetlb.NrOvercommitHugepages,
                    spec.Bench.AfterBaseline && hostZeroesPages == 1 ? () => RunBaselineBenchFirst(seedGuest, spec) : null);
            }
            catch (InvariantViolationException e)
            {
                // Validate mode: the guest went wrong before this mode's bench.sh (warm-up, or the baseline's bench.sh
                // of bench.after_baseline); the mode stops there.
                violations.AddRange(e.Violations.Take(64).Select(v => $"before bench.sh: {v}"));
            }
            catch (EcsMm.Truth.DataCorruptionException e)
            {
                violations.Add($"before bench.sh: data corruption: {e.Corruption}");
            }

            vm = new VmRun(seedGuest);
            guest.World.SetResource(vm);
        }
        else
        {
            guest = new Guest(GuestBuilder.Config(spec), spec.Seed, options.Validate).Boot();
        }

        var alloc = guest.Alloc;
        var world = guest.World;

        // The "EcsMm" Meter for dotnet-counters: observable counters over this mode's allocator (free when nobody listens).
        using var meter = new Diagnostics.PageAllocMeter(alloc);
        if (vm is not null)
        {
            meter.TrackReports(() => vm.Guest.Reporting.Stats.PagesReported);
            meter.TrackCorruptions(() => vm.Guest.Oracle.Corruptions);
        }

        world.SetResource(spec);
        var metrics = new StepMetrics();
        var driver = new StepDriver(_handlers, alloc, metrics);
        var sampler = new FreeAreaSampler(alloc, () => driver.Label);
        var pipeline = guest.Pipeline;
        pipeline.Add(PhaseNames.Workload, driver);
        pipeline.Add(PhaseNames.Metrics, sampler);
        var pluginSystems = new List<ISystem>();
        foreach (var p in options.Plugins)
        {
            var system = p.Create();
            pluginSystems.Add(system);
            if (!pipeline.PhaseOrder.Contains(p.Phase))
            {
                pipeline.AddPhase(p.Phase);
            }

            var handle = pipeline.Add(p.Phase, system);
            if (p.Before is not null)
            {
                handle.Before(p.Before);
            }

            if (p.After is not null)
            {
                handle.After(p.After);
            }
        }

        pipeline.Validate();
        var points = new HashSet<string>(spec.Snapshots.Concat(options.ExtraSnapshots));
        var snapshots = new List<ProcSnapshot>();
        void Snap(string point)
        {
            if (points.Contains(point))
            {
                snapshots.Add(new ProcSnapshot(point, ProcFormats.BuddyInfo(alloc), ProcFormats.PageTypeInfo(alloc), ProcFormats.VmStat(alloc)));
            }
        }

        sampler.Sample(-1, 0, "boot");
        Snap(SnapshotPoints.Boot);
        var iterations = new List<IterationSample>();
        try
        {
            if (violations.Count == 0)
            {
                RunSetupAndIterations();
            }
        }
        catch (InvariantViolationException e)
        {
            // Validate mode stops a mode at the first inconsistent state (the CheckInvariants system throws).
            foreach (var v in e.Violations.Take(64))
            {
                violations.Add($"step {world.Step} ({driver.Label}): {v}");
            }
        }
        catch (EcsMm.Truth.DataCorruptionException e)
        {
            // Validate mode stops a mode at the first skipped zeroing of a page that was not zero.
            violations.Add($"step {world.Step} ({driver.Label}): data corruption: {e.Corruption}");
        }

        void RunSetupAndIterations()
        {
            foreach (var step in spec.Setup)
            {
                driver.Next(step, $"setup {step.Kind}");
                pipeline.Run(world);
                stepDone();
            }

            Snap(SnapshotPoints.Setup);
            if (vm is not null)
            {
                // As the seed benchmark does: a persistent pool is filled after the setup (the first flush).
                vm.Guest.FillHugetlbPool((int)spec.Hugetlb.NrHugepages);
                vm.StartIterations();
            }
            for (var i = 1; i <= spec.Iterations; i++)
            {
                var allocated0 = alloc.Stats.PgAlloc.Sum();
                var zeroed0 = alloc.Stats.ZeroedByAllocHook;
                var skipped0 = alloc.Stats.ZeroingSkippedByHint;
                foreach (var step in spec.Iteration)
                {
                    driver.Next(step, $"iteration {i} {step.Kind}");
                    pipeline.Run(world);
                    stepDone();
                }

                iterations.Add(new IterationSample(i, alloc.Stats.PgAlloc.Sum() - allocated0, alloc.Stats.ZeroedByAllocHook - zeroed0, alloc.Stats.ZeroingSkippedByHint - skipped0));
                Snap(SnapshotPoints.Iteration(i));
                if (vm is not null)
                {
                    vm.EndIteration();
                    for (var s = 0; s < vm.Guest.Spec.StepsBetweenIterations; s++)
                    {
                        vm.Guest.Step();
                    }
                }
            }
        }

        Snap(SnapshotPoints.End);
        var list = CollectMetrics(alloc, world, metrics, pluginSystems, violations.Count, options.Validate);
        var seedResult = vm?.ToModeResult();
        if (seedResult is not null)
        {
            list.InsertRange(0, VmMetrics.Of(seedResult));
        }

        var mode = hostZeroesPages == 0 ? "baseline" : "optimized";
        return new ModeResult(mode, hostZeroesPages, list, sampler.Samples, iterations, snapshots, driver.NotExecuted(), violations) { Vm = seedResult };
    }

    /// <summary>
    /// bench.after_baseline: the baseline's setup and iterations on the optimized mode's guest before its own bench.sh,
    /// each step in one pipeline run at the point the step driver runs it, with the gaps between iterations. What
    /// they do is not recorded: the baseline mode's own guest, with the same seed and history, reports it.
    /// </summary>
    private void RunBaselineBenchFirst(SeedGuest g, ScenarioSpec spec)
    {
        var world = g.Guest.World;
        world.SetResource(new VmRun(g));
        var scratch = new StepMetrics();
        void Run(WorkloadStep step) => g.RunCommand(() =>
        {
            _handlers.First(h => h.Handles(step)).Execute(step, world, g.Guest.Alloc, scratch);
            return 0;
        });

        foreach (var step in spec.Setup)
        {
            Run(step);
        }

        g.FillHugetlbPool((int)spec.Hugetlb.NrHugepages);
        for (var i = 1; i <= spec.Iterations; i++)
        {
            foreach (var step in spec.Iteration)
            {
                Run(step);
            }

            for (var s = 0; s < g.Spec.StepsBetweenIterations; s++)
            {
                g.Step();
            }
        }
    }

    private static List<Metric> CollectMetrics(PageAlloc alloc, World world, StepMetrics steps, List<ISystem> plugins, int violations, bool validate)
    {
        var s = alloc.Stats;
        long free = 0;
        foreach (var z in alloc.Zones)
        {
            free += z.FreePages;
        }

        var list = new List<Metric>
        {
            new("nr_free_pages", free),
            new("min_free_kbytes", alloc.MinFreeKbytes),
        };
        for (var o = 0; o < MmConstants.NrPageOrders; o++)
        {
            long blocks = 0;
            foreach (var z in alloc.Zones)
            {
                blocks += alloc.FreeBlocks(z.Index, o);
            }

            list.Add(new($"free_blocks_order_{o}", blocks));
        }

        list.AddRange(
        [
            new("pgalloc_dma", s.PgAlloc[(int)ZoneType.Dma]),
            new("pgalloc_dma32", s.PgAlloc[(int)ZoneType.Dma32]),
            new("pgalloc_normal", s.PgAlloc[(int)ZoneType.Normal]),
            new("pgfree", s.PgFree),
            new("alloc_success", s.AllocSuccess),
            new("alloc_fail", s.AllocFail),
            new("buddy_merges", s.BuddyMerges),
            new("buddy_splits", s.BuddySplits),
            new("pcp_refills", s.PcpRefills),
            new("pcp_drained_pages", s.PcpDrainedPages),
            new("extfrag", s.ExtFrag),
            new("pageblock_claims", s.PageblockClaims),
            new("zeroed_by_alloc_hook", s.ZeroedByAllocHook),
            new("zeroing_skipped_by_hint", s.ZeroingSkippedByHint),
            new("bad_pages", s.BadPages),
            new("sim_time_ns", world.Clock.NowNs),
        ]);
        if (validate)
        {
            list.Add(new("invariant_violations", violations));
        }

        foreach (var (name, value) in steps.All())
        {
            list.Add(new(name, value));
        }

        foreach (var p in plugins)
        {
            if (p is IReportsMetrics r)
            {
                foreach (var (name, value) in r.Metrics())
                {
                    list.Add(new($"{p.Name}.{name}", value));
                }
            }
        }

        return list;
    }
}
