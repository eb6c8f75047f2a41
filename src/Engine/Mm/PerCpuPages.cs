namespace EcsMm.Mm;

/// <summary>
/// struct per_cpu_pages for every (cpu, zone): the pcp lists (intrusive, through the MemMap links, as
/// <c>page-&gt;pcp_list</c>) and one <see cref="PcpState"/> (count, high, batch, tuning state) per pcp. List index <c>pindex</c> is
/// <see cref="OrderToPindex"/>: 3 × order + migratetype for orders 0..3, then the THP list(s).
/// </summary>
public sealed class PerCpuPages
{
    /// <summary>NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES × (PAGE_ALLOC_COSTLY_ORDER + 1).</summary>
    public const int LowOrderLists = MigrateTypes.PcpTypes * (MmConstants.PageAllocCostlyOrder + 1);

    /// <summary>CONFIG_PCP_BATCH_SCALE_MAX.</summary>
    public const int BatchScaleMax = 5;

    private readonly int _zoneCount;
    private readonly PcpState[] _states;

    public PerCpuPages(MemMap map, int cpus, int zones, int thpLists)
    {
        Cpus = cpus;
        _zoneCount = zones;
        ListsPerPcp = LowOrderLists + thpLists;
        ThpLists = thpLists;
        var sets = cpus * zones;
        Lists = new PageLists(map, sets * ListsPerPcp);
        _states = new PcpState[sets];
    }

    public int Cpus { get; }

    /// <summary>NR_PCP_LISTS.</summary>
    public int ListsPerPcp { get; }

    /// <summary>NR_PCP_THP.</summary>
    public int ThpLists { get; }

    /// <summary>All pcp lists; list id = <see cref="ListId"/>.</summary>
    public PageLists Lists { get; }

    /// <summary>Number of pcps (CPUs × zones).</summary>
    public int Sets => _states.Length;

    /// <summary>The counters of pcp <paramref name="pcp"/> (<see cref="PcpId"/>), by reference.</summary>
    public ref PcpState State(int pcp) => ref _states[pcp];

    /// <summary>pcp-&gt;count in pages, per pcp (<see cref="PcpId"/>).</summary>
    public PcpColumn Count => new(_states, PcpField.Count);

    /// <summary>pcp-&gt;high per pcp (see <see cref="PcpState.High"/>).</summary>
    public PcpColumn High => new(_states, PcpField.High);

    /// <summary>pcp-&gt;high_min per pcp.</summary>
    public PcpColumn HighMin => new(_states, PcpField.HighMin);

    /// <summary>pcp-&gt;high_max per pcp.</summary>
    public PcpColumn HighMax => new(_states, PcpField.HighMax);

    /// <summary>pcp-&gt;batch per pcp.</summary>
    public PcpColumn Batch => new(_states, PcpField.Batch);

    /// <summary>6.1: pcp-&gt;free_factor per pcp.</summary>
    public PcpColumn FreeFactor => new(_states, PcpField.FreeFactor);

    /// <summary>Mainline: pcp-&gt;alloc_factor per pcp.</summary>
    public PcpColumn AllocFactor => new(_states, PcpField.AllocFactor);

    /// <summary>Mainline: pcp-&gt;free_count per pcp.</summary>
    public PcpColumn FreeCount => new(_states, PcpField.FreeCount);

    public int PcpId(int cpu, int zone) => (cpu * _zoneCount) + zone;

    /// <summary>The zone index of pcp <paramref name="pcp"/> (inverse of <see cref="PcpId"/>).</summary>
    public int ZoneOf(int pcp) => pcp % _zoneCount;

    public int ListId(int pcp, int pindex) => (pcp * ListsPerPcp) + pindex;

    /// <summary>pcp_allowed_order(): orders 0..PAGE_ALLOC_COSTLY_ORDER and the THP order.</summary>
    public static bool AllowedOrder(int order) => order <= MmConstants.PageAllocCostlyOrder || order == MmConstants.HpagePmdOrder;

    /// <summary>order_to_pindex().</summary>
    public int OrderToPindex(MigrateType mt, int order)
    {
        if (order > MmConstants.PageAllocCostlyOrder)
        {
            return ThpLists == 2 && mt == MigrateType.Movable ? LowOrderLists + 1 : LowOrderLists;
        }

        return (MigrateTypes.PcpTypes * order) + (int)mt;
    }

    /// <summary>pindex_to_order().</summary>
    public static int PindexToOrder(int pindex) => pindex >= LowOrderLists ? MmConstants.HpagePmdOrder : pindex / MigrateTypes.PcpTypes;

    /// <summary>Total pages on all pcp lists of all CPUs for a zone.</summary>
    public long ZoneCount(int zone)
    {
        long sum = 0;
        for (var cpu = 0; cpu < Cpus; cpu++)
        {
            sum += _states[PcpId(cpu, zone)].Count;
        }

        return sum;
    }
}
