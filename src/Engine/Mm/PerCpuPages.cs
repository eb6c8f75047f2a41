namespace EcsMm.Mm;

/// <summary>
/// struct per_cpu_pages for every (cpu, zone): the pcp lists (intrusive, through the MemMap links, as
/// <c>page-&gt;pcp_list</c>), count, high, batch and the tuning state. List index <c>pindex</c> is
/// <see cref="OrderToPindex"/>: 3 × order + migratetype for orders 0..3, then the THP list(s).
/// </summary>
public sealed class PerCpuPages
{
    /// <summary>NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES × (PAGE_ALLOC_COSTLY_ORDER + 1).</summary>
    public const int LowOrderLists = MigrateTypes.PcpTypes * (MmConstants.PageAllocCostlyOrder + 1);

    /// <summary>CONFIG_PCP_BATCH_SCALE_MAX.</summary>
    public const int BatchScaleMax = 5;

    private readonly int _zoneCount;

    public PerCpuPages(MemMap map, int cpus, int zones, int thpLists)
    {
        Cpus = cpus;
        _zoneCount = zones;
        ListsPerPcp = LowOrderLists + thpLists;
        ThpLists = thpLists;
        var sets = cpus * zones;
        Lists = new PageLists(map, sets * ListsPerPcp);
        Count = new int[sets];
        High = new int[sets];
        HighMin = new int[sets];
        HighMax = new int[sets];
        Batch = new int[sets];
        FreeFactor = new int[sets];
        AllocFactor = new int[sets];
        FreeCount = new int[sets];
        PrevFreeHighOrder = new bool[sets];
    }

    public int Cpus { get; }

    /// <summary>NR_PCP_LISTS.</summary>
    public int ListsPerPcp { get; }

    /// <summary>NR_PCP_THP.</summary>
    public int ThpLists { get; }

    /// <summary>All pcp lists; list id = <see cref="ListId"/>.</summary>
    public PageLists Lists { get; }

    /// <summary>pcp-&gt;count in pages, per pcp (<see cref="PcpId"/>).</summary>
    public int[] Count { get; }

    /// <summary>
    /// pcp-&gt;high: the count at which a free drains to buddy. Mainline auto-tunes it between <see cref="HighMin"/>
    /// and <see cref="HighMax"/> (nr_pcp_alloc raises it, nr_pcp_high and decay_pcp_high lower it); in 6.1 it is fixed.
    /// </summary>
    public int[] High { get; }

    /// <summary>pcp-&gt;high_min (6.1: equal to <see cref="HighMax"/>).</summary>
    public int[] HighMin { get; }

    /// <summary>pcp-&gt;high_max (equal to <see cref="HighMin"/> when auto-tuning is off).</summary>
    public int[] HighMax { get; }

    /// <summary>pcp-&gt;batch.</summary>
    public int[] Batch { get; }

    /// <summary>6.1: pcp-&gt;free_factor.</summary>
    public int[] FreeFactor { get; }

    /// <summary>Mainline: pcp-&gt;alloc_factor.</summary>
    public int[] AllocFactor { get; }

    /// <summary>Mainline: pcp-&gt;free_count.</summary>
    public int[] FreeCount { get; }

    /// <summary>Mainline: PCPF_PREV_FREE_HIGH_ORDER.</summary>
    public bool[] PrevFreeHighOrder { get; }

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
            sum += Count[PcpId(cpu, zone)];
        }

        return sum;
    }
}
