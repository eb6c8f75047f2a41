using EcsMm.Ecs;

namespace EcsMm.Mm;

/// <summary>
/// The user-memory entities: processes (table "processes": pid, mmap_base in pages), VMAs (table "vmas": owner,
/// start and length in pages, kind, MADV_HUGEPAGE, the memfd file it maps) and folios (table "folios": head PFN,
/// order, owner VMA or memfd file, index in the owner in pages, kind). The page tables of a VMA (which PFN each
/// virtual page maps) are one int array per VMA, indexed by the VMA's "ptes" column.
/// </summary>
public sealed class MmTables
{
    public MmTables(World world)
    {
        Processes = world.GetOrCreateTable("processes", 16);
        Pid = Processes.AddColumn<int>("pid");
        MmapBase = Processes.AddColumn<long>("mmap_base");
        FirstVma = Processes.AddColumn<Entity>("first_vma");

        Vmas = world.GetOrCreateTable("vmas", 16);
        VmaOwner = Vmas.AddColumn<Entity>("owner");
        VmaStart = Vmas.AddColumn<long>("start");
        VmaPages = Vmas.AddColumn<long>("pages");
        VmaKind = Vmas.AddColumn<byte>("kind");
        VmaHugepage = Vmas.AddColumn<byte>("madv_hugepage");
        VmaFile = Vmas.AddColumn<Entity>("file");
        VmaPtes = Vmas.AddColumn<int>("ptes");
        VmaFirstFolio = Vmas.AddColumn<Entity>("first_folio");
        VmaNextOfProcess = Vmas.AddColumn<Entity>("next_of_process");

        Folios = world.GetOrCreateTable("folios", 1024);
        FolioPfn = Folios.AddColumn<int>("pfn");
        FolioOrder = Folios.AddColumn<byte>("order");
        FolioOwner = Folios.AddColumn<Entity>("owner");
        FolioIndex = Folios.AddColumn<long>("index");
        FolioKindColumn = Folios.AddColumn<byte>("kind");
        FolioNextOfOwner = Folios.AddColumn<Entity>("next_of_owner");
    }

    public EntityTable Processes { get; }

    public ComponentColumn<int> Pid { get; }

    /// <summary>mmap_base of the process in pages (top-down layout: mappings go below it).</summary>
    public ComponentColumn<long> MmapBase { get; }

    /// <summary>The process's newest VMA, the head of its chain through <see cref="VmaNextOfProcess"/>.</summary>
    public ComponentColumn<Entity> FirstVma { get; }

    public EntityTable Vmas { get; }

    public ComponentColumn<Entity> VmaOwner { get; }

    /// <summary>vm_start in pages.</summary>
    public ComponentColumn<long> VmaStart { get; }

    public ComponentColumn<long> VmaPages { get; }

    public ComponentColumn<byte> VmaKind { get; }

    /// <summary>VM_HUGEPAGE (MADV_HUGEPAGE).</summary>
    public ComponentColumn<byte> VmaHugepage { get; }

    /// <summary>The memfd file of a <see cref="Mm.VmaKind.MemfdHugetlb"/> VMA.</summary>
    public ComponentColumn<Entity> VmaFile { get; }

    /// <summary>Index of the VMA's page-table array.</summary>
    public ComponentColumn<int> VmaPtes { get; }

    /// <summary>The VMA's newest folio, the head of its chain through <see cref="FolioNextOfOwner"/> (Entity.Null: none).</summary>
    public ComponentColumn<Entity> VmaFirstFolio { get; }

    /// <summary>The next VMA of the same process (Entity.Null at the end): a process's mappings without a scan of all.</summary>
    public ComponentColumn<Entity> VmaNextOfProcess { get; }

    /// <summary>Puts a new VMA at the head of its process's chain.</summary>
    public void LinkVma(Entity process, Entity vma)
    {
        ref var head = ref Processes.Get(FirstVma, process);
        Vmas.Get(VmaNextOfProcess, vma) = head;
        head = vma;
    }

    /// <summary>Takes a VMA off its process's chain (a walk over that process's VMAs only).</summary>
    public void UnlinkVma(Entity vma)
    {
        ref var link = ref Processes.Get(FirstVma, Vmas.Get(VmaOwner, vma));
        while (link != Entity.Null)
        {
            if (link == vma)
            {
                link = Vmas.Get(VmaNextOfProcess, vma);
                return;
            }

            link = ref Vmas.Get(VmaNextOfProcess, link);
        }
    }

    public EntityTable Folios { get; }

    public ComponentColumn<int> FolioPfn { get; }

    public ComponentColumn<byte> FolioOrder { get; }

    /// <summary>The VMA (anonymous folios) or the memfd / hugetlbfs file (hugetlb folios) the folio belongs to.</summary>
    public ComponentColumn<Entity> FolioOwner { get; }

    /// <summary>Offset of the folio in its owner, in pages.</summary>
    public ComponentColumn<long> FolioIndex { get; }

    public ComponentColumn<byte> FolioKindColumn { get; }

    /// <summary>The next folio of the same VMA (Entity.Null at the end): a VMA's folios without a scan of all.</summary>
    public ComponentColumn<Entity> FolioNextOfOwner { get; }

    /// <summary>Add a folio entity (a VMA's folio also goes on the VMA's chain: <see cref="LinkFolio"/>).</summary>
    public Entity AddFolio(int pfn, int order, Entity owner, long index, FolioKind kind)
    {
        var e = Folios.Create();
        Folios.Get(FolioPfn, e) = pfn;
        Folios.Get(FolioOrder, e) = (byte)order;
        Folios.Get(FolioOwner, e) = owner;
        Folios.Get(FolioIndex, e) = index;
        Folios.Get(FolioKindColumn, e) = (byte)kind;
        return e;
    }

    /// <summary>Puts <paramref name="folio"/> at the head of <paramref name="vma"/>'s chain.</summary>
    public void LinkFolio(Entity vma, Entity folio)
    {
        ref var head = ref Vmas.Get(VmaFirstFolio, vma);
        Folios.Get(FolioNextOfOwner, folio) = head;
        head = folio;
    }

    /// <summary>
    /// Takes every folio of <paramref name="vma"/> off its chain: writes them to <paramref name="folios"/> from
    /// <paramref name="offset"/> on (newest first) and returns how many; the caller destroys them.
    /// </summary>
    public int DetachFoliosOf(Entity vma, ref Entity[] folios, int offset = 0)
    {
        ref var head = ref Vmas.Get(VmaFirstFolio, vma);
        var e = head;
        head = Entity.Null;
        var n = offset;
        while (e != Entity.Null)
        {
            if (n == folios.Length)
            {
                Array.Resize(ref folios, n * 2);
            }

            folios[n++] = e;
            e = Folios.Get(FolioNextOfOwner, e);
        }

        return n - offset;
    }
}
