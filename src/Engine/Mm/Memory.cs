using EcsMm.Ecs;
using EcsMm.Mm.Systems;
using EcsMm.Truth;

namespace EcsMm.Mm;

/// <summary>
/// User memory of the guest: processes, VMAs and folios as entities (<see cref="MmTables"/>), the system calls
/// that create and populate them (mmap, madvise(MADV_POPULATE_WRITE), writes, munmap; <c>Memory.Mmap.cs</c>,
/// <c>Memory.Populate.cs</c>) and the fault paths of mm/memory.c (<c>Memory.Anonymous.cs</c>: do_anonymous_page,
/// alloc_anon_folio, vma_alloc_zeroed_movable_folio), mm/huge_memory.c (<see cref="HugeMemory"/>) and mm/hugetlb.c
/// (<c>HugetlbFault.cs</c>, <see cref="Hugetlb"/>). Every zeroing goes through the <see cref="ZeroingOracle"/>.
/// System calls run synchronously (process context); the folios munmap releases are queued as
/// <see cref="FreeRequests"/> and freed in the Frees phase, as the kernel batches them in the mmu_gather and frees
/// them after the TLB flush. Abstracted: page-table pages, rmap, memcg, LRU lists, swap, khugepaged.
/// </summary>
public sealed partial class Memory
{
    private readonly List<int[]?> _ptes = [];
    private readonly Stack<int> _freePteSlots = new();

    // ReleaseFoliosOf's buffers: the owner's folios and their indices, sorted together (reused, never shrunk).
    private long[] _releaseIndex = new long[64];
    private Entity[] _releaseFolio = new Entity[64];
    private Entity[] _releaseOrdered = new Entity[64];
    private bool[] _releaseLarge = new bool[64];
    private int[] _releasePermutation = new int[64];
    private int _nextPid = 1;

    public Memory(Guest guest, GuestMemory memory, ZeroingOracle oracle, FaultConfig config, Hugetlb? hugetlb = null)
    {
        config.Validate();
        Guest = guest;
        Alloc = guest.Alloc;
        GuestMemory = memory;
        Oracle = oracle;
        Config = config;
        Tables = new MmTables(guest.World);
        Probe = new ReportedSourceProbe(oracle, memory.Host);
        Alloc.AllocZeroingHook = Probe;
        Hugetlb = hugetlb ?? new Hugetlb(Alloc);
        Huge = new HugeMemory(this);
        FaultRequests = new FaultRequests(guest.World);
        guest.Pipeline.Add(PhaseNames.Faults, new FaultSystem(this));
    }

    /// <summary>Fault requests served in the Faults phase (by <see cref="FaultSystem"/>).</summary>
    public FaultRequests FaultRequests { get; }

    public Guest Guest { get; }

    public PageAlloc Alloc { get; }

    public GuestMemory GuestMemory { get; }

    public ZeroingOracle Oracle { get; }

    public FaultConfig Config { get; private set; }

    /// <summary>
    /// echo MODE &gt; /sys/kernel/mm/transparent_hugepage/enabled: later faults follow the new mode
    /// (thp_vma_allowable), and start_stop_khugepaged() recomputes min_free_kbytes, the watermarks and pcp high
    /// (<see cref="PageAlloc.SetThpEnabled"/>).
    /// </summary>
    public void SetThpEnabled(ThpEnabled mode)
    {
        Config = Config with { Thp = mode };
        Alloc.SetThpEnabled(mode != ThpEnabled.Never);
    }

    public MmTables Tables { get; }

    /// <summary>Measures whether fault allocations were served from reported pages.</summary>
    public ReportedSourceProbe Probe { get; }

    public Hugetlb Hugetlb { get; }

    /// <summary>The PMD fault path (mm/huge_memory.c).</summary>
    public HugeMemory Huge { get; }

    public FaultStats Stats { get; } = new();

    /// <summary>
    /// user_alloc_needs_zeroing(): callers zero user pages themselves unless init_on_alloc already did (x86 has no
    /// aliasing data cache).
    /// </summary>
    public bool UserAllocNeedsZeroing => !Alloc.Config.InitOnAlloc;

    /// <summary>
    /// A new process (fork + exec of a static binary): its mmap_base is the top of the mmap area minus a random
    /// page offset (ASLR, drawn from the world's seeded random source).
    /// </summary>
    public Entity CreateProcess()
    {
        var e = Tables.Processes.Create();
        Tables.Processes.Get(Tables.Pid, e) = _nextPid++;
        const long top = 0x7ff0_0000_0000L >> MmConstants.PageShift;
        Tables.Processes.Get(Tables.MmapBase, e) = top - Guest.World.Random.NextLong(1, 1L << 16);
        return e;
    }

    /// <summary>
    /// exit_mmap(): unmap every VMA of the process in address order with one mmu_gather (unmap_vmas walks the VMA tree
    /// upwards; on 6.1 its batches run on across VMA boundaries), then drop it. The process's chain is already in
    /// address order: mappings go below mmap_base, which only falls, and each new one heads the chain.
    /// </summary>
    public void ExitProcess(Entity process)
    {
        var vmas = Tables.Vmas;
        var mine = new List<Entity>();
        var withFolios = new List<Entity>();
        for (var vma = Tables.Processes.Get(Tables.FirstVma, process); vma != Entity.Null; vma = vmas.Get(Tables.VmaNextOfProcess, vma))
        {
            System.Diagnostics.Debug.Assert(mine.Count == 0 || vmas.Get(Tables.VmaStart, mine[^1]) < vmas.Get(Tables.VmaStart, vma));
            mine.Add(vma);
            if ((VmaKind)vmas.Get(Tables.VmaKind, vma) != VmaKind.MemfdHugetlb)
            {
                withFolios.Add(vma);
            }
        }

        ReleaseFoliosOf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(withFolios));
        Tables.Processes.Get(Tables.FirstVma, process) = Entity.Null;   // the whole chain goes
        foreach (var vma in mine)
        {
            DropVma(vma);
        }

        Tables.Processes.Destroy(process);
    }

    /// <summary>The PFN mapped at page <paramref name="index"/> of the VMA, or -1.</summary>
    public int MappedPfn(Entity vma, long index) => PtesOf(vma)[index];

    /// <summary>Pages of the VMA that are mapped.</summary>
    public long MappedPages(Entity vma)
    {
        var ptes = PtesOf(vma);
        long n = 0;
        foreach (var p in ptes)
        {
            if (p >= 0)
            {
                n++;
            }
        }

        return n;
    }

    internal int[] PtesOf(Entity vma) => _ptes[Tables.Vmas.Get(Tables.VmaPtes, vma)]!;

    private int NewPtes(long pages)
    {
        var ptes = new int[pages];
        Array.Fill(ptes, -1);
        if (_freePteSlots.Count > 0)
        {
            var slot = _freePteSlots.Pop();
            _ptes[slot] = ptes;
            return slot;
        }

        _ptes.Add(ptes);
        return _ptes.Count - 1;
    }

    private void ReleasePtes(int slot)
    {
        _ptes[slot] = null;
        _freePteSlots.Push(slot);
    }

    /// <summary>Map a folio of 2^order pages at page <paramref name="index"/> of the VMA and record its entity.</summary>
    internal void MapFolio(Entity vma, long index, int pfn, int order, FolioKind kind)
    {
        var ptes = PtesOf(vma);
        var n = 1 << order;
        for (var i = 0; i < n; i++)
        {
            ptes[index + i] = pfn + i;
        }

        Tables.LinkFolio(vma, Tables.AddFolio(pfn, order, vma, index, kind));
    }

    /// <summary>Whether pages [index, index + count) of the VMA are inside it and all unmapped (pte_none / pmd_none).</summary>
    internal bool RangeNone(int[] ptes, long index, int count)
    {
        if (index < 0 || index + count > ptes.Length)
        {
            return false;
        }

        for (var i = index; i < index + count; i++)
        {
            if (ptes[i] >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A caller's own zeroing of a freshly allocated folio (folio_zero_user / clear_user_highpage): skipped when
    /// post_alloc_hook returned PGHINT_ZEROED (patches 11–14), reported to the oracle either way.
    /// </summary>
    internal void CallerZero(in AllocResult r, ZeroingPath path)
    {
        if (r.Hint == PageHint.Zeroed)
        {
            Oracle.OnCallerSkipped(r.Pfn, r.Order, path);
        }
        else
        {
            Oracle.OnCallerZeroing(r.Pfn, r.Order, path);
        }
    }

    /// <summary>An allocation made for a fault, measured for the served-from-reported figure.</summary>
    internal AllocResult FaultAlloc(Gfp gfp, int order)
    {
        Probe.Arm();
        var r = Alloc.AllocPages(gfp, order);
        if (r.Success)
        {
            Stats.RecordAllocation(order, Probe.MeasureIfPending(r.Pfn, order), r.Hint == PageHint.Zeroed);
        }

        return r;
    }
}
