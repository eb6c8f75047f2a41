using EcsMm.Mm;
using EcsMm.Workloads;

namespace EcsMm.Bench;

/// <summary>
/// The seed's benchmark (alloc_once.c and bench.sh of the v2 cover letter) as data: guest size, mapping size,
/// iterations, THP / hugetlb choice, the flush budget, and the background workload around it.
/// </summary>
public sealed record SeedBenchmarkSpec
{
    public string Name { get; init; } = "seed";

    /// <summary>Guest RAM in MiB (the seed: 2 GiB, 1 vCPU).</summary>
    public int GuestMiB { get; init; } = 2048;

    /// <summary>alloc_once size in MiB (bench.sh SZ).</summary>
    public int SizeMiB { get; init; } = 256;

    /// <summary>bench.sh ITER.</summary>
    public int Iterations { get; init; } = 10;

    /// <summary>bench.sh "huge": MAP_HUGETLB with nr_overcommit_hugepages = SZ/2.</summary>
    public bool Hugetlb { get; init; }

    /// <summary>nr_hugepages (persistent pool) set before the run; the seed leaves it at 0.</summary>
    public int NrHugepages { get; init; }

    /// <summary>vm.nr_overcommit_hugepages during the benchmark; null: bench.sh's SZ/2 for a hugetlb run, else 0.</summary>
    public int? NrOvercommitHugepages { get; init; }

    public ThpEnabled Thp { get; init; } = ThpEnabled.Always;

    public ThpDefrag Defrag { get; init; } = ThpDefrag.Madvise;

    /// <summary>Allowed mTHP orders (bit n = order n); the sysfs default is none.</summary>
    public int MthpOrders { get; init; }

    /// <summary>"mainline" or "6.1".</summary>
    public string Kernel { get; init; } = "mainline";

    /// <summary>Mapping placement; null takes the kernel's default (aligned for mainline, unaligned for 6.1).</summary>
    public MappingPlacement? Placement { get; init; }

    /// <summary>The value echoed to /sys/module/page_reporting/parameters/flush.</summary>
    public int FlushBudget { get; init; } = 512;

    /// <summary>What the flush budget counts (patch 16 unavailable): reported blocks (default) or 4 KiB pages.</summary>
    public Mm.FlushBudgetUnit FlushBudgetUnit { get; init; } = Mm.FlushBudgetUnit.ReportedBlocks;

    /// <summary>
    /// The distribution's virtio_balloon was loaded at boot (host_zeroes_pages = 0) and bench.sh replaces it: blocks
    /// reported before the reload keep PG_reported without PG_zeroed. False: the module loaded at boot already had
    /// the bench's host_zeroes_pages, so the warm-up's reports are hinted too.
    /// </summary>
    public bool BalloonLoadedAtBoot { get; init; } = true;

    /// <summary>
    /// The cover letter's order: the optimized bench.sh runs in the guest the baseline bench.sh has just run in
    /// (<c>bash bench.sh 256 0 10; bash bench.sh 256 1 10</c>), so it starts with the blocks the baseline's flushes
    /// reported without PG_zeroed. False (default): each mode runs on a fresh guest with the same history.
    /// </summary>
    public bool AfterBaseline { get; init; }

    /// <summary>Background steps before bench.sh starts (the guest's life so far).</summary>
    public int WarmupSteps { get; init; } = 300;

    /// <summary>Background steps between two iterations.</summary>
    public int StepsBetweenIterations { get; init; } = 20;

    /// <summary>Simulated time per pipeline step.</summary>
    public long StepNs { get; init; } = 10_000_000;

    /// <summary>
    /// The guest's allocator configuration from a scenario file (CPUs, zone limits, reserved ranges, init_on_alloc /
    /// init_on_free, vm.percpu_pagelist_high_fraction); its size, kernel, THP switch and bugs are taken from this spec.
    /// Null uses the defaults.
    /// </summary>
    public MemoryConfig? GuestConfig { get; init; }

    /// <summary>VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED: PG_zeroed only on entries the device says it initialized.</summary>
    public bool DeviceInitReported { get; init; }

    /// <summary>The balloon registers free page reporting (false: a balloon without it; flushes do nothing).</summary>
    public bool ReportingEnabled { get; init; } = true;

    /// <summary>The page_reporting_order module parameter (null: the device's order, else pageblock_order).</summary>
    public int? ReportingOrder { get; init; }

    /// <summary>PAGE_REPORTING_CAPACITY (32).</summary>
    public int ReportingCapacity { get; init; } = PageReporting.DefaultCapacity;

    /// <summary>PAGE_REPORTING_DELAY (2 s).</summary>
    public long ReportingDelayNs { get; init; } = PageReporting.DefaultDelayNs;

    /// <summary>The host's RAMBlock page size.</summary>
    public int HostPageBytes { get; init; } = 4096;

    public BackgroundWorkloadSpec Background { get; init; } = new();

    /// <summary>Bugs planted by tests to show the oracle catches them in this benchmark; None in every real run.</summary>
    public Truth.PlantedBugs Bugs { get; init; }

    /// <summary>
    /// The issue-6 variant: after MADV_POPULATE_WRITE, alloc_once writes data to every page of its mapping before
    /// munmap (a workload that uses its memory), so the host populates the optimized run deferred happen inside the run.
    /// </summary>
    public bool WriteAfterPopulate { get; init; }

    /// <summary>Validate mode: stop at the first data corruption, and check the allocator's invariants after every iteration.</summary>
    public bool ValidateMode { get; init; }

    /// <summary>The kernel profile named by <see cref="Kernel"/>.</summary>
    public KernelProfile KernelProfile =>
        Mm.KernelProfile.FromName(Kernel) ?? throw new ArgumentException($"unknown kernel '{Kernel}' (expected mainline or 6.1)");

    /// <summary>Checks the numbers.</summary>
    public void Validate()
    {
        string? why = null;
        if (GuestMiB < 64)
        {
            why = $"guest.memory: the VM model (faults, reporting, background work) needs at least 64 MiB (got {GuestMiB} MiB)";
        }
        else if (SizeMiB < 0 || SizeMiB > GuestMiB)
        {
            why = $"alloc_once size: expected 0..{GuestMiB} MiB (got {SizeMiB} MiB)";
        }
        else if (Iterations < 1)
        {
            why = $"iterations: expected at least 1 (got {Iterations})";
        }
        else if (ReportingCapacity < 1 || ReportingDelayNs < 0 || ReportingOrder is < 0 or > MmConstants.MaxPageOrder)
        {
            why = $"reporting: capacity ≥ 1, delay ≥ 0 and order 0..{MmConstants.MaxPageOrder} expected (got {ReportingCapacity}, {ReportingDelayNs} ns, {ReportingOrder})";
        }
        else if (FlushBudget < 0 || WarmupSteps < 0 || StepsBetweenIterations < 0 || StepNs < 0)
        {
            why = "the flush budget, warm-up steps, steps between iterations and step length must not be negative";
        }

        if (why is not null)
        {
            throw new ArgumentException($"scenario '{Name}': {why}");
        }

        _ = KernelProfile;
    }
}
