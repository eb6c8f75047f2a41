using EcsMm.Mm;
using EcsMm.Truth;
using EcsMm.Virt;
using EcsMm.Workloads;

namespace EcsMm.Bench;

/// <summary>
/// The seed benchmark's guest: a <see cref="Guest"/> with its host, the virtio-balloon reporting device, free page
/// reporting, the guest-write API and oracle, user memory (<see cref="Memory"/>) and the background workload,
/// with their systems in the pipeline (Workload: background; Frees: munmap's folios; Reporting: the delayed work).
/// </summary>
public sealed class SeedGuest
{
    public SeedGuest(SeedBenchmarkSpec spec, ulong seed, bool hostZeroesPages)
    {
        spec.Validate();
        Spec = spec;
        var kernel = spec.KernelProfile;
        var config = (spec.GuestConfig ?? new MemoryConfig { Cpus = 1 }) with
        {
            GuestBytes = (long)spec.GuestMiB << 20,
            Kernel = kernel,
            ThpEnabled = spec.Thp != ThpEnabled.Never,
            Bugs = spec.Bugs,
        };
        Guest = new Guest(config, seed).Boot();
        Host = new Host(Guest.Map, new HostConfig { HostPageBytes = spec.HostPageBytes }.WithBugs(spec.Bugs));
        GuestMemory = new GuestMemory(Guest.Map, Host);
        Oracle = new ZeroingOracle(GuestMemory, () => Guest.World.Clock.NowNs) { Validate = spec.ValidateMode };
        var faults = new FaultConfig
        {
            Thp = spec.Thp,
            Defrag = spec.Defrag,
            MthpOrders = spec.MthpOrders,
            Placement = spec.Placement ?? FaultConfig.DefaultPlacement(kernel),
        };
        Memory = new Memory(Guest, GuestMemory, Oracle, faults);
        Workload = new BackgroundWorkload(Guest, GuestMemory, spec.Background);
        Guest.Pipeline.Add(Ecs.PhaseNames.Workload, new BackgroundWorkloadSystem(Workload));
        Guest.Pipeline.Add(Ecs.PhaseNames.Workload, new Ecs.DelegateSystem("BenchAction", (Ecs.World _, in Ecs.SimTime _) => RunPendingAction()));
        HostZeroesPages = hostZeroesPages;
        // At boot: the distribution's virtio_balloon (host_zeroes_pages = 0), or, with BalloonLoadedAtBoot false, the
        // module of the first bench.sh (host_zeroes_pages = mode; the baseline's 0 when AfterBaseline) already, so what
        // it reports during the warm-up is hinted in the optimized mode.
        Balloon = new VirtioBalloon(Guest.Alloc, Host, !spec.BalloonLoadedAtBoot && !spec.AfterBaseline && hostZeroesPages, spec.DeviceInitReported);
        Reporting = NewReporting();
        // The page_reporting_process() work item of whichever device is registered now (see ReloadBalloon).
        Guest.Pipeline.Add(Ecs.PhaseNames.Reporting, new Ecs.DelegateSystem("PageReporting", (Ecs.World _, in Ecs.SimTime _) => Reporting.RunDueWork()));
    }

    public SeedBenchmarkSpec Spec { get; }

    public bool HostZeroesPages { get; }

    public Guest Guest { get; }

    public Host Host { get; }

    public GuestMemory GuestMemory { get; }

    public ZeroingOracle Oracle { get; }

    public Memory Memory { get; }

    public BackgroundWorkload Workload { get; }

    public VirtioBalloon Balloon { get; private set; }

    public PageReporting Reporting { get; private set; }

    private Action? _pendingAction;

    /// <summary>
    /// Run one command of bench.sh (drop caches, flush, alloc_once) the way the scenario runner runs a step: inside one
    /// pipeline run, in the Workload phase after the background workload's step, without advancing the clock; the
    /// same run's Frees phase frees what the command released. <see cref="SeedBenchmark"/> uses it; <c>ecsmm run</c>
    /// executes its steps at the same point (its step driver runs in the Workload phase, after the background), so
    /// for a bench.sh-shaped scenario both compute the same figures (RunnerEngineAgreementTests).
    /// </summary>
    public T RunCommand<T>(Func<T> command)
    {
        T result = default!;
        _pendingAction = () => result = command();
        Guest.Step();
        if (_pendingAction is not null)
        {
            throw new InvalidOperationException("the BenchAction system did not run: is the Workload phase in the pipeline?");
        }

        return result;
    }

    private void RunPendingAction()
    {
        var action = _pendingAction;
        _pendingAction = null;
        action?.Invoke();
    }

    /// <summary>
    /// echo <paramref name="budget"/> &gt; /sys/module/page_reporting/parameters/flush, in the spec's budget unit: what
    /// the flush reported (4 KiB pages, report calls, blocks).
    /// </summary>
    public FlushReport Flush(long budget)
    {
        var stats = Reporting.Stats;
        var calls = stats.ReportCalls;
        var blocks = stats.BlocksReportedTotal;
        var pages = Reporting.Flush(budget, Spec.FlushBudgetUnit);
        return new FlushReport(pages, stats.ReportCalls - calls, stats.BlocksReportedTotal - blocks);
    }

    /// <summary>Advance the clock by one step and run every phase once.</summary>
    public void Step()
    {
        Guest.World.Clock.Advance(Spec.StepNs);
        Guest.Step();
    }

    /// <summary>
    /// alloc_once.c: a new process mmaps <paramref name="bytes"/> (MAP_PRIVATE | MAP_ANONYMOUS, with MAP_HUGETLB
    /// when <paramref name="hugetlb"/>), MADV_POPULATE_WRITE, [with <paramref name="writeAfterPopulate"/>: writes
    /// data to every page,] munmap, exit. Returns what the run did (faults, allocations, zeroing, host populates and
    /// refaults, the host pages still owed once the populate returned, corruptions); the munmapped folios are freed
    /// by the Frees phase of the pipeline run this is called in (<see cref="RunCommand{T}"/>), or of the next run.
    /// </summary>
    public SeedIterationMetrics AllocOnce(long bytes, bool hugetlb, bool writeAfterPopulate = false)
    {
        var before = SeedIterationMetrics.Capture(this);
        var process = Memory.CreateProcess();
        var vma = Memory.Mmap(process, bytes, hugetlb);
        Memory.MadvisePopulateWrite(vma);
        var (owed, refaultsOwed) = CountHostPagesOwed(vma);
        long written = 0, populatesAtWrite = 0;
        if (writeAfterPopulate)
        {
            var populates = Host.Stats.Populates;
            written = Memory.Write(vma);
            populatesAtWrite = Host.Stats.Populates - populates;
        }

        Memory.Munmap(vma);
        Memory.ExitProcess(process);
        var m = SeedIterationMetrics.Capture(this).Minus(before);
        m.HostPagesOwed = owed;
        m.HostRefaultsOwed = refaultsOwed;
        m.PagesWrittenByWorkload = written;
        m.HostPopulatesAtWrite = populatesAtWrite;
        return m;
    }

    /// <summary>
    /// Host pages under the mapped pages of <paramref name="vma"/> that have no backing (the first write to each
    /// will populate it), and how many of those were discarded since last populated (refaults).
    /// </summary>
    public (long Owed, long Refaults) CountHostPagesOwed(Ecs.Entity vma)
    {
        var flags = Guest.Map.Flags;
        var shift = Host.HostPageOrder;
        long owed = 0, refaults = 0;
        var lastHostPage = -1;
        foreach (var pfn in Memory.PtesOf(vma))
        {
            if (pfn < 0 || (flags[pfn] & MemMap.HostBackedBit) != 0 || pfn >> shift == lastHostPage)
            {
                continue;
            }

            lastHostPage = pfn >> shift;
            owed++;
            if (Host.IsDiscarded(pfn))
            {
                refaults++;
            }
        }

        return (owed, refaults);
    }

    /// <summary>
    /// bench.sh's start on a guest that has lived a while: <see cref="SeedBenchmarkSpec.WarmupSteps"/> steps of
    /// background work, then rmmod/insmod virtio_balloon host_zeroes_pages=mode, then nr_overcommit_hugepages.
    /// A persistent pool (nr_hugepages) is filled after the first flush (<see cref="FillHugetlbPool"/>).
    /// With <paramref name="baselineBenchFirst"/> (the optimized mode of <see cref="SeedBenchmarkSpec.AfterBaseline"/>),
    /// the baseline's bench.sh runs on this guest between the warm-up and the reload: its module
    /// (host_zeroes_pages=0), its nr_overcommit_hugepages, the commands the action runs, and
    /// nr_overcommit_hugepages=0 at its end.
    /// </summary>
    public void PrepareForBench(int nrOvercommitHugepages, Action? baselineBenchFirst = null)
    {
        for (var i = 0; i < Spec.WarmupSteps; i++)
        {
            Step();
        }

        if (baselineBenchFirst is not null)
        {
            ReloadBalloon(hostZeroesPages: false);
            Memory.Hugetlb.NrOvercommitHugepages = nrOvercommitHugepages;
            baselineBenchFirst();
            Memory.Hugetlb.NrOvercommitHugepages = 0;
        }

        ReloadBalloon();
        Memory.Hugetlb.NrOvercommitHugepages = nrOvercommitHugepages;
    }

    /// <summary>echo N &gt; /proc/sys/vm/nr_hugepages (nothing for N = 0).</summary>
    public void FillHugetlbPool(int nrHugepages)
    {
        if (nrHugepages > 0)
        {
            Memory.Hugetlb.SetNrHugepages(nrHugepages);
        }
    }

    /// <summary>Run the allocator's invariant checker; a violation throws <see cref="Mm.Systems.InvariantViolationException"/>.</summary>
    public void CheckInvariants()
    {
        var violations = new InvariantChecker(Guest.Alloc).Check();
        if (violations.Count > 0)
        {
            throw new Mm.Systems.InvariantViolationException(Guest.World.Time, violations);
        }
    }

    /// <summary>
    /// rmmod virtio_balloon; insmod virtio_balloon.ko host_zeroes_pages=mode (this guest's mode, or
    /// <paramref name="hostZeroesPages"/>): page_reporting_unregister of the old device, a new device with the mode,
    /// page_reporting_register (IDLE, first pass requested). Blocks the old device reported keep PG_reported (and no
    /// PG_zeroed).
    /// </summary>
    public void ReloadBalloon(bool? hostZeroesPages = null)
    {
        Reporting.Unregister();
        Balloon = new VirtioBalloon(Guest.Alloc, Host, hostZeroesPages ?? HostZeroesPages, Spec.DeviceInitReported);
        Reporting = NewReporting();
    }

    /// <summary>page_reporting_register() of the balloon's device with the spec's parameters; without reporting the device is unregistered at once.</summary>
    private PageReporting NewReporting()
    {
        var order = Virt.GuestVirtio.ReportingOrder(Spec.Bugs, Host, Spec.ReportingOrder);
        var r = new PageReporting(Guest.Alloc, Guest.World.Clock, Balloon, order, Spec.ReportingCapacity, Spec.ReportingDelayNs);
        if (!Spec.ReportingEnabled)
        {
            r.Unregister();
        }

        return r;
    }
}

/// <summary>What one flush reported: 4 KiB pages, prdev-&gt;report() calls, and blocks (scatterlist entries).</summary>
public readonly record struct FlushReport(long Pages, long ReportCalls, long Blocks);
