using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Truth;
using EcsMm.Virt;

namespace EcsMm.Tests.Reporting;

/// <summary>A guest with a virtio-balloon reporting device, its host, the guest-write API and the oracle.</summary>
internal sealed class ReportingRig
{
    private ReportingRig(PageAlloc alloc, HostConfig hostConfig, bool hostZeroes, int? order)
    {
        Alloc = alloc;
        Host = new Host(alloc.Map, hostConfig.WithBugs(alloc.Config.Bugs));
        Balloon = new VirtioBalloon(alloc, Host, hostZeroes);
        if (order is null && (alloc.Config.Bugs & PlantedBugs.BlockSmallerThanHostPage) != 0)
        {
            order = Host.HostPageOrder - 1;
        }

        Reporting = new PageReporting(alloc, Clock, Balloon, order);
        Memory = new GuestMemory(alloc.Map, Host);
        Oracle = new ZeroingOracle(Memory, () => Clock.NowNs);
        alloc.AllocZeroingHook = Oracle;
    }

    public PageAlloc Alloc { get; }

    public SimClock Clock { get; } = new();

    public Host Host { get; }

    public VirtioBalloon Balloon { get; }

    public PageReporting Reporting { get; }

    public GuestMemory Memory { get; }

    public ZeroingOracle Oracle { get; }

    /// <summary>
    /// One zone of <paramref name="mib"/> MiB, booted (every page free), the host having touched nothing yet.
    /// <paramref name="debugVm"/> turns the flag checks at free and allocation on (CONFIG_DEBUG_VM).
    /// </summary>
    public static ReportingRig Booted(int mib = 256, bool hostZeroes = true, HostConfig? host = null, int? order = null,
        PlantedBugs bugs = PlantedBugs.None, bool series = true, bool debugVm = false)
    {
        var config = MemoryConfig.SingleZone((long)mib << 20) with
        {
            PcpHigh = 64,
            PcpBatch = 8,
            SeriesApplied = series,
            Bugs = bugs,
        };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config) { Validate = debugVm };
        alloc.Boot();
        return new ReportingRig(alloc, host ?? new HostConfig(), hostZeroes, order);
    }

    /// <summary>Run the reporting work until nothing more is requested (at most <paramref name="maxSeconds"/> of simulated time).</summary>
    public void ReportUntilIdle(int maxSeconds = 600)
    {
        var limit = Clock.NowNs + (maxSeconds * 1_000_000_000L);
        while (Reporting.WorkDueAtNs is { } due && due <= limit)
        {
            Reporting.RunUntil(due);
        }
    }

    /// <summary>Allocate, write data to every page, and return the block (a user that dirties its memory).</summary>
    public int AllocDirty(int order, Gfp gfp = Gfp.HighUserMovable)
    {
        var r = Alloc.AllocPages(gfp, order);
        Assert.True(r.Success);
        Memory.Write(r.Pfn, 1 << order);
        return r.Pfn;
    }

    public bool Reported(int pfn) => (Alloc.Map.Flags[pfn] & PageFlagAccessors.ReportedMask) != 0;

    public bool Zeroed(int pfn) => (Alloc.Map.Flags[pfn] & PageFlagAccessors.ZeroedMask) != 0;
}

/// <summary>A reporting device that records its calls and can fail or run a check while the blocks are isolated.</summary>
internal sealed class RecordingDevice : IPageReportingDevice
{
    public int Order { get; init; } = -1;

    public bool HostZeroesPages { get; init; }

    public int Error { get; set; }

    public List<ReportedBlock[]> Calls { get; } = [];

    public Action<ReadOnlySpan<ReportedBlock>>? DuringReport { get; set; }

    /// <summary>The device's per-entry answer (DEVICE_INIT_REPORTED); null answers "initialized" for every entry.</summary>
    public Func<ReportedBlock, bool>? Initialized { get; init; }

    public int Report(ReadOnlySpan<ReportedBlock> blocks)
    {
        Calls.Add(blocks.ToArray());
        DuringReport?.Invoke(blocks);
        return Error;
    }

    public int Report(ReadOnlySpan<ReportedBlock> blocks, Span<bool> initialized)
    {
        for (var i = 0; i < blocks.Length; i++)
        {
            initialized[i] = Initialized?.Invoke(blocks[i]) ?? true;
        }

        return Report(blocks);
    }
}
