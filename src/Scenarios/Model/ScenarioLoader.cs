using System.Security.Cryptography;
using System.Text;
using EcsMm.Scenario;
using EcsMm.Scenarios.Cli;
using YamlDotNet.RepresentationModel;

namespace EcsMm.Scenarios.Model;

/// <summary>A loaded scenario: the validated spec, where it came from and the SHA-256 of its text.</summary>
public sealed record LoadedScenario(ScenarioSpec Spec, string Source, string Sha256, IReadOnlyList<KeyValuePair<string, string>> Overrides);

/// <summary>
/// Reads a scenario file (YAML) into a <see cref="ScenarioSpec"/>, validating by hand so that every error names the
/// file, the line and the dotted key, and says what was expected. Unknown keys are errors.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>The smallest guest the VM model runs (alloc_once, flush, drop_caches, background steps).</summary>
    public const long MinVmGuestBytes = 64L << 20;

    /// <summary>The largest guest the model holds: 2^31 − 1 pages rounded down to 2 MiB (just under 8 TiB).</summary>
    public const long MaxGuestBytes = ((long)int.MaxValue << 12) & ~((2L << 20) - 1);

    /// <summary>The smallest guest: 4 MiB (two pageblocks). Below 80 MiB the default reserved ranges leave only ZONE_DMA free.</summary>
    public const long MinGuestBytes = 4L << 20;

    private static readonly string[] StepKinds = ["alloc_once", "flush", "drop_caches", "sleep", "background", "churn", "thp"];

    /// <summary>Loads <paramref name="nameOrPath"/>: a built-in scenario name or a file path.</summary>
    public static LoadedScenario Load(string nameOrPath, IReadOnlyList<KeyValuePair<string, string>>? overrides = null)
    {
        var path = BuiltinScenarios.Resolve(nameOrPath);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{nameOrPath}: cannot read the scenario file: {e.Message}");
        }

        return Parse(text, path, overrides);
    }

    /// <summary>Parses scenario text; <paramref name="path"/> names it in errors and anchors relative paths.</summary>
    public static LoadedScenario Parse(string text, string path, IReadOnlyList<KeyValuePair<string, string>>? overrides = null)
    {
        overrides ??= [];
        var source = YamlSource.Parse(path, text);
        foreach (var (key, value) in overrides)
        {
            source.Override(key, value, $"--set {key}={value}");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var spec = Build(new YamlMap(source, source.Root, ""), path);
        return new LoadedScenario(spec, path, hash, overrides);
    }

    private static ScenarioSpec Build(YamlMap root, string path)
    {
        var name = root.String("name") ?? Path.GetFileNameWithoutExtension(path);
        var description = root.String("description") ?? "";
        var seed = root.Integer("seed", 0, long.MaxValue) ?? 1;
        var iterations = (int)(root.Integer("iterations", 1, 1_000_000) ?? 1);
        var kernel = root.String("kernel", ["mainline", "6.1"]) ?? "mainline";
        var guest = Guest(root.Map("guest") ?? throw root.Source.Error(root.Node, "guest", "missing; expected a mapping with at least 'memory'"));
        var thp = Thp(root.Map("thp"));
        var hugetlb = Hugetlb(root.Map("hugetlb"), guest);
        var reporting = Reporting(root.Map("reporting"));
        var balloon = Balloon(root.Map("balloon"));
        var host = Host(root.Map("host"));
        var bench = Bench(root.Map("bench"));
        var costs = CostProfile(root, path);
        var snapshots = Snapshots(root, iterations);
        var setup = Steps(root, "setup", guest, hugetlb, reporting);
        var iteration = Steps(root, "iteration", guest, hugetlb, reporting);
        if (guest.MemoryBytes < MinVmGuestBytes && setup.Concat(iteration).Any(st => st.NeedsVm))
        {
            var memNode = root.Map("guest")!.Get("memory")!;
            throw root.Source.Error(memNode, "guest.memory", $"{SizeText.Format(guest.MemoryBytes)} is too small for the VM model this scenario's steps need (faults, reporting, background work); expected at least {SizeText.Format(MinVmGuestBytes)}");
        }
        var vmKeysSet = new List<string>();
        foreach (var k in (string[])["hugetlb", "reporting", "host", "costs", "bench"])
        {
            if (root.Get(k) is { } node)
            {
                vmKeysSet.Add($"{k} ({root.Source.Where(node)})");
            }
        }

        if (root.Map("balloon") is { } balloonMap && balloonMap.Get("device_init_reported") is { } dirNode)
        {
            vmKeysSet.Add($"balloon.device_init_reported ({root.Source.Where(dirNode)})");
        }

        if (root.Map("thp") is { } thpMap)
        {
            foreach (var k in (string[])["defrag", "mthp_orders"])
            {
                if (thpMap.Get(k) is { } node)
                {
                    vmKeysSet.Add($"thp.{k} ({root.Source.Where(node)})");
                }
            }
        }
        root.RejectUnknownKeys();
        return new ScenarioSpec
        {
            VmKeysSet = vmKeysSet,
            Name = name,
            Description = description,
            Seed = (ulong)seed,
            Iterations = iterations,
            Kernel = kernel,
            Guest = guest,
            Thp = thp,
            Hugetlb = hugetlb,
            Reporting = reporting,
            Balloon = balloon,
            Host = host,
            CostProfile = costs,
            Bench = bench,
            Snapshots = snapshots,
            Setup = setup,
            Iteration = iteration,
        };
    }

    private static GuestSpec Guest(YamlMap m)
    {
        var memNode = m.Get("memory") ?? throw m.Source.Error(m.Node, m.KeyPath("memory"), "missing; expected the guest RAM size, e.g. 2G");
        var memory = m.SizeValue(memNode, "memory", MinGuestBytes, MaxGuestBytes);
        if (memory % (2L << 20) != 0)
        {
            throw m.Error(memNode, "memory", $"{SizeText.Format(memory)} is not a multiple of 2M (a pageblock)");
        }

        var cpus = (int)(m.Integer("cpus", 1, 1024) ?? 1);
        long dma = 16L << 20, dma32 = 4L << 30;
        if (m.Map("zones") is { } z)
        {
            dma = z.Size("dma", 2L << 20, 1L << 30, allowZero: true) ?? dma;
            dma32 = z.Size("dma32", 2L << 20, 4L << 30, allowZero: true) ?? dma32;
            if (dma != 0 && dma32 != 0 && dma32 <= dma)
            {
                throw z.Error(z.Get("dma32")!, "dma32", $"the DMA32 limit must be above the DMA limit ({SizeText.Format(dma)})");
            }

            foreach (var (key, limit) in new[] { ("dma", dma), ("dma32", dma32) })
            {
                if (limit % (2L << 20) != 0)
                {
                    throw z.Error(z.Get(key)!, key, $"{SizeText.Format(limit)} is not a multiple of 2M (zones start on pageblocks)");
                }
            }

            z.RejectUnknownKeys();
        }

        List<ByteRange>? reserved = null;
        if (m.Sequence("reserved") is { } seq)
        {
            reserved = [];
            foreach (var item in seq.Children)
            {
                if (item is not YamlMappingNode rm)
                {
                    throw m.Error(item, "reserved", "expected a mapping {start: SIZE, size: SIZE}");
                }

                var r = new YamlMap(m.Source, rm, m.KeyPath("reserved[]"));
                var start = r.Size("start", 0, memory - 4096, allowZero: true) ?? throw r.Source.Error(rm, r.KeyPath("start"), "missing; expected the range start");
                var size = r.Size("size", 4096, memory) ?? throw r.Source.Error(rm, r.KeyPath("size"), "missing; expected the range size");
                if (start % 4096 != 0 || size % 4096 != 0 || start + size > memory)
                {
                    throw r.Error(rm, "size", $"range [{start}, {start + size}) must be 4K aligned and inside the guest's {SizeText.Format(memory)}");
                }

                r.RejectUnknownKeys();
                reserved.Add(new ByteRange(start, size));
            }
        }

        var initOnAlloc = m.Bool("init_on_alloc") ?? false;
        var initOnFree = m.Bool("init_on_free") ?? false;
        var highFraction = (int)(m.Integer("percpu_pagelist_high_fraction", 0, int.MaxValue) ?? 0);
        if (highFraction is > 0 and < 8)
        {
            // percpu_pagelist_high_fraction_sysctl_handler(): "Sanity checking to avoid pcp imbalance".
            throw m.Error(m.Get("percpu_pagelist_high_fraction")!, "percpu_pagelist_high_fraction", $"{highFraction} is refused by the kernel (-EINVAL); expected 0 (auto-tuned) or at least 8");
        }

        m.RejectUnknownKeys();
        return new GuestSpec
        {
            PercpuPagelistHighFraction = highFraction,
            MemoryBytes = memory,
            Cpus = cpus,
            DmaLimitBytes = dma,
            Dma32LimitBytes = dma32,
            Reserved = reserved,
            InitOnAlloc = initOnAlloc,
            InitOnFree = initOnFree,
        };
    }

    private static ThpSpec Thp(YamlMap? m)
    {
        if (m is null)
        {
            return new ThpSpec();
        }

        var enabled = m.String("enabled", ["always", "madvise", "never"]) ?? "always";
        var defrag = m.String("defrag", ["always", "defer", "defer+madvise", "madvise", "never"]) ?? "madvise";
        var orders = new List<int>();
        if (m.Sequence("mthp_orders") is { } seq)
        {
            foreach (var item in seq.Children)
            {
                orders.Add((int)Order(m, item, "mthp_orders", 2, 8)); // order 9 is the PMD THP: thp.enabled
            }
        }

        m.RejectUnknownKeys();
        return new ThpSpec { Enabled = enabled, Defrag = defrag, MthpOrders = orders };
    }

    /// <summary>An allocation order: above MAX_PAGE_ORDER (10) is always an error, with the kernel limit named.</summary>
    private static long Order(YamlMap m, YamlNode node, string key, int min, int max)
    {
        var text = m.ScalarText(node, key, $"an order in {min}..{max}");
        if (long.TryParse(text, out var v) && v > Mm.MmConstants.MaxPageOrder)
        {
            throw m.Error(node, key, $"order {v} is above MAX_PAGE_ORDER ({Mm.MmConstants.MaxPageOrder}); expected an order in {min}..{max}");
        }

        return m.IntegerValue(node, key, min, max);
    }

    private static HugetlbSpec Hugetlb(YamlMap? m, GuestSpec guest)
    {
        if (m is null)
        {
            return new HugetlbSpec();
        }

        var maxPages = guest.MemoryBytes / (2L << 20);
        var nr = m.Integer("nr_hugepages", 0, maxPages) ?? 0;
        var over = m.Integer("nr_overcommit_hugepages", 0, maxPages) ?? 0;
        m.RejectUnknownKeys();
        return new HugetlbSpec { NrHugepages = nr, NrOvercommitHugepages = over };
    }

    private static ReportingSpec Reporting(YamlMap? m)
    {
        if (m is null)
        {
            return new ReportingSpec();
        }

        var d = new ReportingSpec();   // the defaults live in the record
        var enabled = m.Bool("enabled") ?? d.Enabled;
        var order = m.Get("order") is { } on ? (int)Order(m, on, "order", 0, Mm.MmConstants.MaxPageOrder) : d.Order;
        var capacity = (int)(m.Integer("capacity", 1, 4096) ?? d.Capacity);
        var delay = m.Number("delay_seconds", 0, 3600) ?? d.DelaySeconds;
        var budget = m.Integer("flush_budget", 0, int.MaxValue) ?? d.FlushBudgetPages;
        var unit = m.String("flush_budget_unit", ["reported_blocks", "base_pages"]) switch
        {
            null => d.FlushBudgetUnit,
            "base_pages" => Mm.FlushBudgetUnit.BasePages,
            _ => Mm.FlushBudgetUnit.ReportedBlocks,
        };
        m.RejectUnknownKeys();
        return new ReportingSpec
        {
            Enabled = enabled,
            Order = order,
            Capacity = capacity,
            DelaySeconds = delay,
            FlushBudgetPages = budget,
            FlushBudgetUnit = unit,
        };
    }

    /// <summary>A duration the VM model runs as whole 10 ms pipeline steps: a multiple of 0.01 s.</summary>
    private static double? StepSeconds(YamlMap m, string key)
    {
        var v = m.Number(key, 0, 86400);
        if (v is { } seconds && Math.Abs((seconds * 100) - Math.Round(seconds * 100)) > 1e-6)
        {
            throw m.Error(m.Get(key)!, key, $"{seconds} s is not a whole number of the model's 10 ms steps; expected a multiple of 0.01");
        }

        return v;
    }

    private static BenchSpec Bench(YamlMap? m)
    {
        if (m is null)
        {
            return new BenchSpec();
        }

        var d = new BenchSpec();   // the defaults live in the record
        var warmup = StepSeconds(m, "warmup_seconds") ?? d.WarmupSeconds;
        var atBoot = m.Bool("balloon_loaded_at_boot") ?? d.BalloonLoadedAtBoot;
        var gap = StepSeconds(m, "gap_seconds") ?? d.GapSeconds;
        var afterBaseline = m.Bool("after_baseline") ?? d.AfterBaseline;
        m.RejectUnknownKeys();
        return new BenchSpec { WarmupSeconds = warmup, BalloonLoadedAtBoot = atBoot, GapSeconds = gap, AfterBaseline = afterBaseline };
    }

    private static BalloonSpec Balloon(YamlMap? m)
    {
        if (m is null)
        {
            return new BalloonSpec();
        }

        var modes = new List<int>();
        var node = m.Get("host_zeroes_pages");
        if (node is YamlSequenceNode seq)
        {
            foreach (var item in seq.Children)
            {
                modes.Add((int)m.IntegerValue(item, "host_zeroes_pages", 0, 1));
            }
        }
        else if (node is not null)
        {
            modes.Add((int)m.IntegerValue(node, "host_zeroes_pages", 0, 1));
        }
        else
        {
            modes.AddRange([0, 1]);
        }

        if (modes.Count == 0 || modes.Distinct().Count() != modes.Count)
        {
            throw m.Error(node!, "host_zeroes_pages", "expected 0, 1 or [0, 1] (each mode once)");
        }

        var initReported = m.Bool("device_init_reported") ?? false;
        m.RejectUnknownKeys();
        return new BalloonSpec { HostZeroesPages = modes, DeviceInitReported = initReported };
    }

    private static HostSpec Host(YamlMap? m)
    {
        if (m is null)
        {
            return new HostSpec();
        }

        long pageSize = 4096;
        if (m.Get("page_size") is { } ps)
        {
            pageSize = m.SizeValue(ps, "page_size", 4096, 1L << 30);
            if (pageSize != 4096 && pageSize != (2L << 20))
            {
                throw m.Error(ps, "page_size", $"{SizeText.Format(pageSize)} is not a host page size the model has; expected 4K or 2M");
            }
        }

        var discard = m.Bool("discard_inhibited") ?? false;
        var poison = m.Bool("poison") ?? false;
        m.RejectUnknownKeys();
        return new HostSpec { PageSizeBytes = pageSize, DiscardInhibited = discard, Poison = poison };
    }

    private static string? CostProfile(YamlMap root, string path)
    {
        var node = root.Get("costs");
        if (node is null || YamlMap.IsNull(node))
        {
            return null;
        }

        var rel = root.ScalarText(node, "costs", "the path of a cost profile file");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var full = Path.GetFullPath(Path.Combine(dir, rel));
        if (!File.Exists(full))
        {
            throw root.Error(node, "costs", $"file '{rel}' not found (looked for {full}); expected an existing cost profile file");
        }

        return full;
    }

    private static List<string> Snapshots(YamlMap root, int iterations)
    {
        var list = new List<string>();
        if (root.Sequence("snapshots") is { } seq)
        {
            foreach (var item in seq.Children)
            {
                var text = root.ScalarText(item, "snapshots", "boot, setup, end or iteration:N");
                var error = SnapshotPoints.Validate(text, iterations);
                if (error is not null)
                {
                    throw root.Error(item, "snapshots", error);
                }

                list.Add(text);
            }
        }

        return list;
    }

    private static List<WorkloadStep> Steps(YamlMap root, string key, GuestSpec guest, HugetlbSpec hugetlb, ReportingSpec reporting)
    {
        var steps = new List<WorkloadStep>();
        if (root.Sequence(key) is not { } seq)
        {
            return steps;
        }

        foreach (var item in seq.Children)
        {
            var line = (int)item.Start.Line;
            string kind;
            YamlMap? args = null;
            if (item is YamlScalarNode s)
            {
                kind = s.Value ?? "";
            }
            else if (item is YamlMappingNode mm && mm.Children.Count == 1)
            {
                var (k, v) = mm.Children.First();
                kind = (k as YamlScalarNode)?.Value ?? "";
                if (!YamlMap.IsNull(v))
                {
                    args = v as YamlMappingNode is { } am
                        ? new YamlMap(root.Source, am, $"{key}[].{kind}")
                        : throw root.Error(v, $"{key}[].{kind}", $"expected the step's parameters as a mapping, e.g. {StepExample(kind)}");
                }
            }
            else
            {
                throw root.Error(item, $"{key}[]", $"expected a step: one of {string.Join(", ", StepKinds)}, written '- kind' or '- kind: {{params}}'");
            }

            if (!StepKinds.Contains(kind))
            {
                throw root.Error(item, $"{key}[].{kind}", $"unknown step; expected one of {string.Join(", ", StepKinds)}");
            }

            var a = args ?? new YamlMap(root.Source, new YamlMappingNode(), $"{key}[].{kind}");
            steps.Add(Step(kind, line, a, item, guest, hugetlb, reporting));
            a.RejectUnknownKeys();
        }

        return steps;
    }

    /// <summary>A parameter mapping for the step <paramref name="kind"/>, for error messages.</summary>
    private static string StepExample(string kind) => kind switch
    {
        "flush" => "{pages: 512}",
        "sleep" => "{seconds: 1}",
        "background" => "{workload: page_cache, size: 128M}",
        "churn" => "{operations: 100000, live: 64M}",
        "thp" => "{enabled: never}",
        _ => "{size: 256M}",
    };

    private static WorkloadStep Step(string kind, int line, YamlMap a, YamlNode item, GuestSpec guest, HugetlbSpec hugetlb, ReportingSpec reporting)
    {
        switch (kind)
        {
            case "alloc_once":
            {
                var size = a.Size("size", 4096, guest.MemoryBytes) ?? throw a.Source.Error(item, a.KeyPath("size"), "missing; expected the mapping size, e.g. 256M");
                var huge = a.String("huge", ["none", "hugetlb"]) ?? "none";
                var hugePages = (size + (2L << 20) - 1) >> 21;
                if (huge == "hugetlb" && hugePages > hugetlb.NrHugepages + hugetlb.NrOvercommitHugepages)
                {
                    // hugetlb_reserve_pages() would refuse the mapping: mmap(MAP_HUGETLB) fails with ENOMEM.
                    throw a.Source.Error(a.Get("size") ?? item, a.KeyPath("size"),
                        $"a MAP_HUGETLB mapping of {hugePages} 2 MiB pages needs hugetlb.nr_hugepages + nr_overcommit_hugepages ≥ {hugePages} (the scenario has {hugetlb.NrHugepages + hugetlb.NrOvercommitHugepages}); mmap would fail with ENOMEM");
                }

                var write = a.Bool("write") ?? false;
                return new AllocOnceStep(line, size, huge == "hugetlb" ? AllocHuge.Hugetlb : AllocHuge.None, write);
            }

            case "flush":
                // Without 'pages' the flush writes reporting.flush_budget.
                return new FlushStep(line, a.Integer("pages", 0, int.MaxValue) ?? reporting.FlushBudgetPages);
            case "drop_caches":
                return new DropCachesStep(line);
            case "thp":
                return new ThpStep(line, a.String("enabled", ["always", "madvise", "never"]) ?? throw a.Source.Error(item, a.KeyPath("enabled"), "missing; expected always, madvise or never"));
            case "sleep":
                return new SleepStep(line, a.Number("seconds", 0, 86400) ?? throw a.Source.Error(item, a.KeyPath("seconds"), "missing; expected a number of seconds"));
            case "background":
            {
                var w = a.String("workload", ["page_cache", "slab", "mixed"]) ?? throw a.Source.Error(item, a.KeyPath("workload"), "missing; expected page_cache, slab or mixed");
                var size = a.Size("size", 4096, guest.MemoryBytes) ?? throw a.Source.Error(item, a.KeyPath("size"), "missing; expected the workload's memory size");
                var bk = w switch { "page_cache" => BackgroundKind.PageCache, "slab" => BackgroundKind.Slab, _ => BackgroundKind.Mixed };
                return new BackgroundStep(line, bk, size);
            }

            default:
            {
                var ops = a.Integer("operations", 1, 1_000_000_000) ?? throw a.Source.Error(item, a.KeyPath("operations"), "missing; expected the number of alloc/free operations");
                var live = a.Size("live", 4096, guest.MemoryBytes) ?? throw a.Source.Error(item, a.KeyPath("live"), "missing; expected the most memory kept allocated, e.g. 64M");
                var min = a.Get("min_order") is { } mn ? (int)Order(a, mn, "min_order", 0, Mm.MmConstants.MaxPageOrder) : 0;
                var max = a.Get("max_order") is { } mx ? (int)Order(a, mx, "max_order", 0, Mm.MmConstants.MaxPageOrder) : 3;
                if (max < min)
                {
                    throw a.Error(a.Get("max_order")!, "max_order", $"{max} is below min_order {min}");
                }

                var mt = a.String("migratetype", ["movable", "unmovable", "reclaimable"]) ?? "movable";
                var freeAtEnd = a.Bool("free_at_end") ?? true;
                var zero = a.Bool("zero") ?? false;
                return new ChurnStep(line, ops, live, min, max, mt, freeAtEnd, zero);
            }
        }
    }
}
