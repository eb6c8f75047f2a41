using System.Runtime.CompilerServices;

namespace EcsMm.Mm;

/// <summary>
/// The buddy allocator of one node (mm/page_alloc.c): zones, free lists, pageblock types and per-cpu lists over a
/// <see cref="MemMap"/>. The kernel functions it models live in the partial files next to this one, one group of
/// rules per file: freeing and merging (<c>PageAlloc.Free.cs</c>), allocation from the free lists
/// (<c>PageAlloc.Rmqueue.cs</c>), migratetype fallback (<c>PageAlloc.Fallback*.cs</c>), per-cpu lists
/// (<c>PageAlloc.Pcp.cs</c>), page preparation (<c>PageAlloc.Prep.cs</c>), boot (<c>PageAlloc.Boot.cs</c>),
/// taking a given page (<c>PageAlloc.TakeOff.cs</c>) and isolation for reporting (<c>PageAlloc.Isolate.cs</c>).
/// </summary>
public sealed partial class PageAlloc
{
    private readonly uint[] _flags;

    public PageAlloc(MemMap map, MemoryConfig config)
    {
        if (map.PageCount != config.PageCount)
        {
            throw new ArgumentException($"mem_map has {map.PageCount} pages, the configuration {config.PageCount}");
        }

        Map = map;
        Config = config;
        Profile = config.Kernel;
        _flags = map.Flags;
        Zones = ZoneLayout.Build(config);
        ZoneOfPageblock = BuildZoneIndex(Zones, map.PageCount);
        PageblockMigrateType = new byte[(map.PageCount + MmConstants.PageblockNrPages - 1) / MmConstants.PageblockNrPages];
        Array.Fill(PageblockMigrateType, (byte)MigrateType.Movable);
        FreeLists = new PageLists(map, Zones.Length * MmConstants.NrPageOrders * MigrateTypes.Count);
        NrFree = new long[Zones.Length * MmConstants.NrPageOrders];
        Pcp = new PerCpuPages(map, config.Cpus, Zones.Length, Profile.PcpThpLists);
        _initOnAllocOrFree = config.InitOnAlloc || config.InitOnFree;
        ThpEnabled = config.ThpEnabled;
    }

    public MemMap Map { get; }

    public MemoryConfig Config { get; }

    public KernelProfile Profile { get; }

    /// <summary>The node's zones, lowest first.</summary>
    public Zone[] Zones { get; }

    /// <summary>The zone index of each pageblock (zones are pageblock aligned in the model).</summary>
    public byte[] ZoneOfPageblock { get; }

    /// <summary>pageblock_flags: the migratetype of each pageblock (order 9). Every pageblock is Movable at boot.</summary>
    public byte[] PageblockMigrateType { get; }

    /// <summary>free_area[order].free_list[migratetype] of every zone; list id = <see cref="FreeListId"/>.</summary>
    public PageLists FreeLists { get; }

    /// <summary>free_area[order].nr_free of every zone (blocks, all migratetypes); index zone × 11 + order.</summary>
    public long[] NrFree { get; }

    /// <summary>The per-cpu lists.</summary>
    public PerCpuPages Pcp { get; }

    public VmStat Stats { get; } = new();

    /// <summary>Free page reporting's notification (page_reporting_notify_free); null when no device is registered.</summary>
    public IFreePageNotifier? ReportingNotifier { get; set; }

    /// <summary>Validate mode: bad pages and impossible states are recorded with details.</summary>
    public bool Validate { get; set; }

    /// <summary>Bad pages found (validate mode keeps the first ones).</summary>
    public List<BadPageReport> BadPageLog { get; } = [];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int FreeListId(int zone, int order, MigrateType mt) => (((zone * MmConstants.NrPageOrders) + order) * MigrateTypes.Count) + (int)mt;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ZoneIndexOf(int pfn) => ZoneOfPageblock[pfn >> MmConstants.PageblockOrder];

    public Zone ZoneOf(int pfn) => Zones[ZoneIndexOf(pfn)];

    /// <summary>get_pfnblock_migratetype().</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MigrateType PageblockType(int pfn) => (MigrateType)PageblockMigrateType[pfn >> MmConstants.PageblockOrder];

    /// <summary>set_pageblock_migratetype().</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageblockType(int pfn, MigrateType mt) => PageblockMigrateType[pfn >> MmConstants.PageblockOrder] = (byte)mt;

    /// <summary>Number of free blocks of an order in a zone (nr_free).</summary>
    public long FreeBlocks(int zone, int order) => NrFree[(zone * MmConstants.NrPageOrders) + order];

    /// <summary>buddy_order(): the order stored with a free block head.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BuddyOrder(int pfn) => (int)((_flags[pfn] & MemMap.OrderMask) >> MemMap.OrderShift);

    private const uint StateMask = MemMap.OrderMask | MemMap.TypeMask | MemMap.ListTypeMask;

    /// <summary>Set the type, order and list migratetype of a page in one write (set_buddy_order and friends).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetState(int pfn, PageType type, int order, MigrateType listType)
    {
        ref var w = ref _flags[pfn];
        w = (w & ~StateMask) | ((uint)order << MemMap.OrderShift) | ((uint)type << MemMap.TypeShift) | ((uint)listType << MemMap.ListTypeShift);
    }

    /// <summary>Clear the type, order and list type of a page (it becomes an ordinary, typeless page).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ClearState(int pfn) => _flags[pfn] &= ~StateMask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private MigrateType ListTypeOf(int pfn) => Map.GetListType(pfn);

    /// <summary>account_freepages(): NR_FREE_PAGES changes for every type but Isolate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AccountFreePages(int zone, long pages, MigrateType mt)
    {
        if (mt != MigrateType.Isolate)
        {
            Zones[zone].FreePages += pages;
        }
    }

    private void ReportBad(int pfn, int order, string reason, uint badFlags)
    {
        Stats.BadPages++;
        if (Validate && BadPageLog.Count < 64)
        {
            BadPageLog.Add(new BadPageReport(pfn, order, reason, badFlags));
        }
    }

    private static byte[] BuildZoneIndex(Zone[] zones, int pages)
    {
        var index = new byte[(pages + MmConstants.PageblockNrPages - 1) / MmConstants.PageblockNrPages];
        foreach (var z in zones)
        {
            var first = z.StartPfn >> MmConstants.PageblockOrder;
            var last = (z.EndPfn - 1) >> MmConstants.PageblockOrder;
            for (var b = first; b <= last; b++)
            {
                index[b] = (byte)z.Index;
            }
        }

        return index;
    }
}

/// <summary>The notification __free_one_page sends to free page reporting (page_reporting_notify_free).</summary>
public interface IFreePageNotifier
{
    /// <summary>page_reporting_order: blocks below it are not worth a notification.</summary>
    int ReportingOrder { get; }

    /// <summary>A block of <paramref name="order"/> ≥ <see cref="ReportingOrder"/> was put on a free list of <paramref name="zone"/>.</summary>
    void NotifyFree(int zone, int order);
}

/// <summary>A page that failed a flag check (bad_page()).</summary>
public readonly record struct BadPageReport(int Pfn, int Order, string Reason, uint BadFlags);
