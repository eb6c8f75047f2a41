namespace EcsMm.Scenario;

/// <summary>
/// A validated scenario: everything a run needs, as plain data. The runner (src/Scenarios) builds it from a YAML file;
/// the engine consumes it. Sizes are bytes, times nanoseconds or seconds as named.
/// </summary>
public sealed record ScenarioSpec
{
    /// <summary>
    /// The keys the file sets that only the VM model uses (hugetlb, reporting, host, costs, thp.defrag,
    /// thp.mthp_orders), each with its line; a scenario that runs on the allocator alone is warned about them.
    /// </summary>
    public IReadOnlyList<string> VmKeysSet { get; init; } = [];

    /// <summary>The scenario's name (the file name without extension unless the file says otherwise).</summary>
    public required string Name { get; init; }

    /// <summary>One line saying what the scenario is for.</summary>
    public string Description { get; init; } = "";

    public required GuestSpec Guest { get; init; }

    /// <summary>"mainline" or "6.1".</summary>
    public string Kernel { get; init; } = "mainline";

    public ThpSpec Thp { get; init; } = new();

    public HugetlbSpec Hugetlb { get; init; } = new();

    public ReportingSpec Reporting { get; init; } = new();

    public BalloonSpec Balloon { get; init; } = new();

    public HostSpec Host { get; init; } = new();

    /// <summary>The VM's history and timing around bench.sh (VM scenarios).</summary>
    public BenchSpec Bench { get; init; } = new();

    /// <summary>A cost profile file (absolute path after loading), or null for the built-in constants.</summary>
    public string? CostProfile { get; init; }

    /// <summary>Steps run once per mode before the iterations (bench.sh's module reload and first flush).</summary>
    public IReadOnlyList<WorkloadStep> Setup { get; init; } = [];

    /// <summary>Steps run in every iteration, in order.</summary>
    public IReadOnlyList<WorkloadStep> Iteration { get; init; } = [];

    /// <summary>Number of iterations.</summary>
    public int Iterations { get; init; } = 1;

    /// <summary>The seed that fixes every random choice of the run.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Where /proc snapshots are taken: "boot", "setup", "iteration:N" (1-based), "end".</summary>
    public IReadOnlyList<string> Snapshots { get; init; } = [];
}

/// <summary>The guest machine: RAM, CPUs and the x86-64 zone limits.</summary>
public sealed record GuestSpec
{
    public required long MemoryBytes { get; init; }

    public int Cpus { get; init; } = 1;

    /// <summary>End of ZONE_DMA (0: no DMA zone).</summary>
    public long DmaLimitBytes { get; init; } = 16L << 20;

    /// <summary>End of ZONE_DMA32 (0: no DMA32 zone).</summary>
    public long Dma32LimitBytes { get; init; } = 4L << 30;

    /// <summary>Memblock-reserved ranges in bytes; null keeps the model's default (first MiB and a 64 MiB kernel image).</summary>
    public IReadOnlyList<ByteRange>? Reserved { get; init; }

    public bool InitOnAlloc { get; init; }

    public bool InitOnFree { get; init; }

    /// <summary>vm.percpu_pagelist_high_fraction (0: mainline auto-tunes pcp high; N ≥ 8: high = managed / N per CPU).</summary>
    public int PercpuPagelistHighFraction { get; init; }

    /// <summary>
    /// The allocator's configuration for this guest under <paramref name="kernel"/> (zone limits, reserved ranges,
    /// CPUs, init_on_alloc / init_on_free, the pcp high fraction). THP and the kernel profile come from the caller.
    /// </summary>
    public Mm.MemoryConfig ToMemoryConfig(Mm.KernelProfile kernel, bool thpEnabled)
    {
        var config = new Mm.MemoryConfig
        {
            GuestBytes = MemoryBytes,
            DmaLimitBytes = DmaLimitBytes,
            Dma32LimitBytes = Dma32LimitBytes,
            Cpus = Cpus,
            Kernel = kernel,
            ThpEnabled = thpEnabled,
            InitOnAlloc = InitOnAlloc,
            InitOnFree = InitOnFree,
            PercpuPagelistHighFraction = PercpuPagelistHighFraction,
            SeriesApplied = true,
        };
        if (Reserved is { } reserved)
        {
            var ranges = new Mm.PfnRange[reserved.Count];
            for (var i = 0; i < ranges.Length; i++)
            {
                ranges[i] = new Mm.PfnRange((int)(reserved[i].Start >> Mm.MmConstants.PageShift), (int)((reserved[i].Start + reserved[i].Size) >> Mm.MmConstants.PageShift));
            }

            config = config with { Reserved = ranges };
        }

        return config;
    }
}

/// <summary>A byte range [Start, Start + Size).</summary>
public readonly record struct ByteRange(long Start, long Size);

/// <summary>/sys/kernel/mm/transparent_hugepage: enabled, defrag and the anonymous mTHP orders.</summary>
public sealed record ThpSpec
{
    /// <summary>always | madvise | never.</summary>
    public string Enabled { get; init; } = "always";

    /// <summary>always | defer | defer+madvise | madvise | never.</summary>
    public string Defrag { get; init; } = "madvise";

    /// <summary>Anonymous mTHP orders enabled (hugepages-NkB/enabled), 2..9.</summary>
    public IReadOnlyList<int> MthpOrders { get; init; } = [];
}

/// <summary>vm.nr_hugepages and vm.nr_overcommit_hugepages for 2 MiB pages.</summary>
public sealed record HugetlbSpec
{
    public long NrHugepages { get; init; }

    public long NrOvercommitHugepages { get; init; }
}

/// <summary>Free page reporting (mm/page_reporting.c) parameters.</summary>
public sealed record ReportingSpec
{
    public bool Enabled { get; init; } = true;

    /// <summary>page_reporting_order (pageblock_order by default).</summary>
    public int Order { get; init; } = 9;

    /// <summary>PAGE_REPORTING_CAPACITY: blocks per report call.</summary>
    public int Capacity { get; init; } = 32;

    /// <summary>PAGE_REPORTING_DELAY (2 s).</summary>
    public double DelaySeconds { get; init; } = 2.0;

    /// <summary>The series' flush parameter default budget, in <see cref="FlushBudgetUnit"/> (reported blocks by default).</summary>
    public long FlushBudgetPages { get; init; } = 512;

    /// <summary>
    /// What a flush budget counts (patch 16 was not available): reported blocks, as page_reporting.c counts pages
    /// (default), or 4 KiB pages. Applies to every flush of the scenario.
    /// </summary>
    public Mm.FlushBudgetUnit FlushBudgetUnit { get; init; } = Mm.FlushBudgetUnit.ReportedBlocks;
}

/// <summary>virtio_balloon module parameters; each host_zeroes_pages value is one mode of the run.</summary>
public sealed record BalloonSpec
{
    /// <summary>The modes to run: 0 = baseline, 1 = optimized (the host zeroes reported pages).</summary>
    public IReadOnlyList<int> HostZeroesPages { get; init; } = [0, 1];

    /// <summary>
    /// VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED (the series from v5 on): the device says per reported entry whether it
    /// initialized the page, and only those get PG_zeroed. False: v2's trust in host_zeroes_pages.
    /// </summary>
    public bool DeviceInitReported { get; init; }
}

/// <summary>The host (QEMU/KVM) side.</summary>
public sealed record HostSpec
{
    /// <summary>Host page size backing guest RAM: 4096 or 2 MiB.</summary>
    public long PageSizeBytes { get; init; } = 4096;

    /// <summary>Discard inhibited (e.g. VFIO): reported pages are not given back to the host.</summary>
    public bool DiscardInhibited { get; init; }

    /// <summary>Page poisoning: freed pages carry a poison pattern, so the host cannot zero them.</summary>
    public bool Poison { get; init; }
}

/// <summary>
/// The guest's history before bench.sh and the time between iterations: the seed does not say, and the results
/// depend on them (docs/seed-benchmark.md).
/// </summary>
public sealed record BenchSpec
{
    /// <summary>Background activity between boot and bench.sh, in seconds (default 3).</summary>
    public double WarmupSeconds { get; init; } = 3.0;

    /// <summary>
    /// The distribution's virtio_balloon (host_zeroes_pages = 0) was loaded at boot, so its reporting ran during the
    /// warm-up and the blocks it reported carry PG_reported without PG_zeroed after bench.sh reloads the module.
    /// False: the module loaded at boot already had the bench's host_zeroes_pages, so those reports are hinted.
    /// </summary>
    public bool BalloonLoadedAtBoot { get; init; } = true;

    /// <summary>
    /// The optimized bench.sh runs in the guest the baseline bench.sh has just run in, as the cover letter lists them
    /// (baseline, then optimized); false (default): each mode on a fresh guest with the same history.
    /// </summary>
    public bool AfterBaseline { get; init; }

    /// <summary>Background activity between two iterations, in seconds (default 0.2).</summary>
    public double GapSeconds { get; init; } = 0.2;
}
