using EcsMm.Ecs;

namespace EcsMm.Mm;

/// <summary>mmap and munmap (mm/mmap.c, mm/vma.c): placement of a new mapping and the release of its folios.</summary>
public sealed partial class Memory
{
    /// <summary>
    /// mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS [| MAP_HUGETLB]): a new VMA below the
    /// process's lowest mapping (top-down layout). The start is aligned to 2 MiB for MAP_HUGETLB
    /// (hugetlb_get_unmapped_area) and, with <see cref="MappingPlacement.Aligned2M"/>, for anonymous mappings whose
    /// length is a multiple of 2 MiB (thp_get_unmapped_area); otherwise only to a page. A MAP_HUGETLB length is
    /// rounded up to 2 MiB.
    /// </summary>
    public Entity Mmap(Entity process, long bytes, bool hugetlb = false) =>
        MapRegion(process, bytes, hugetlb ? VmaKind.Hugetlb : VmaKind.Anonymous, Entity.Null);

    /// <summary>mmap(MAP_SHARED) of a memfd created with MFD_HUGETLB: faults fill the file's page cache.</summary>
    public Entity MmapMemfd(Entity process, Memfd file)
    {
        file.Mappings++;
        return MapRegion(process, file.Pages << MmConstants.PageShift, VmaKind.MemfdHugetlb, file.Entity);
    }

    /// <summary>madvise(MADV_HUGEPAGE): the VMA asks for THP (VM_HUGEPAGE), which matters for enabled = madvise and for defrag.</summary>
    public void MadviseHugepage(Entity vma) => Tables.Vmas.Get(Tables.VmaHugepage, vma) = 1;

    /// <summary>
    /// munmap of the whole VMA: anonymous folios are queued for the Frees phase (free_pages_and_swap_cache after the
    /// TLB flush: __free_pages with the folio's order, so a THP goes through the pcp THP list); hugetlb folios go
    /// through free_huge_folio (surplus back to buddy, pool folios back to the pool); a memfd mapping only drops its
    /// page-table entries (the file keeps its folios until it is closed).
    /// </summary>
    public void Munmap(Entity vma)
    {
        if ((VmaKind)Tables.Vmas.Get(Tables.VmaKind, vma) != VmaKind.MemfdHugetlb)
        {
            ReleaseFoliosOf([vma]);
        }

        DropVma(vma);
    }

    /// <summary>The VMA's page tables and the VMA itself, once its folios are released.</summary>
    private void DropVma(Entity vma)
    {
        if ((VmaKind)Tables.Vmas.Get(Tables.VmaKind, vma) == VmaKind.MemfdHugetlb)
        {
            MemfdOf(Tables.Vmas.Get(Tables.VmaFile, vma)).Mappings--;
        }

        Tables.UnlinkVma(vma);
        ReleasePtes(Tables.Vmas.Get(Tables.VmaPtes, vma));
        Tables.Vmas.Destroy(vma);
    }

    /// <summary>
    /// Free and destroy every folio of <paramref name="vmas"/> (in address order), each VMA's in address (index)
    /// order, through one mmu_gather: zap_pte_range / zap_huge_pmd walk a VMA upwards into its batches, which
    /// free_pages_and_swap_cache frees in batch order (6.1: see <see cref="GatherBatchOrder"/>); exit_mmap's unmap_vmas
    /// walks all of a process's VMAs with one gather.
    /// </summary>
    internal void ReleaseFoliosOf(ReadOnlySpan<Entity> vmas)
    {
        var folios = Tables.Folios;
        var n = 0;
        foreach (var vma in vmas)
        {
            var start = n;
            n += Tables.DetachFoliosOf(vma, ref _releaseFolio, n);
            if (_releaseIndex.Length < _releaseFolio.Length)
            {
                Array.Resize(ref _releaseIndex, _releaseFolio.Length);
            }

            for (var i = start; i < n; i++)
            {
                _releaseIndex[i] = folios.Get(Tables.FolioIndex, _releaseFolio[i]);
            }

            Array.Sort(_releaseIndex, _releaseFolio, start, n - start);
        }

        var inFreeOrder = Alloc.Profile.ReleasePagesReversesSmallFolios ? GatherBatchOrder(n) : _releaseFolio;
        var frees = Guest.FreeRequests;
        for (var i = 0; i < n; i++)
        {
            var folio = inFreeOrder[i];
            var row = folios.RowOf(folio);   // looked up once: the destroys below move rows
            var pfn = Tables.FolioPfn.Data[row];
            var order = Tables.FolioOrder.Data[row];
            var kind = (FolioKind)Tables.FolioKindColumn.Data[row];
            if (kind == FolioKind.Hugetlb)
            {
                Hugetlb.FreeFolio(pfn);
            }
            else
            {
                frees.Add(pfn, order);
            }

            folios.Destroy(folio);
        }
    }

    /// <summary>
    /// The 6.1 free order of _releaseFolio[0, n) (address order): <see cref="MmuGather.ReleasePagesOrder61"/> over
    /// the folios' sizes.
    /// </summary>
    private Entity[] GatherBatchOrder(int n)
    {
        if (_releaseOrdered.Length < n)
        {
            _releaseOrdered = new Entity[_releaseFolio.Length];
            _releaseLarge = new bool[_releaseFolio.Length];
            _releasePermutation = new int[_releaseFolio.Length];
        }

        for (var i = 0; i < n; i++)
        {
            _releaseLarge[i] = Tables.Folios.Get(Tables.FolioOrder, _releaseFolio[i]) > 0;
        }

        MmuGather.ReleasePagesOrder61(_releaseLarge.AsSpan(0, n), _releasePermutation);
        for (var i = 0; i < n; i++)
        {
            _releaseOrdered[i] = _releaseFolio[_releasePermutation[i]];
        }

        return _releaseOrdered;
    }

    private Entity MapRegion(Entity process, long bytes, VmaKind kind, Entity file)
    {
        if (bytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "mmap length must be positive");
        }

        var pages = (bytes + MmConstants.PageSize - 1) >> MmConstants.PageShift;
        const long hugeMask = MmConstants.PageblockNrPages - 1;
        if (kind != VmaKind.Anonymous)
        {
            pages = (pages + hugeMask) & ~hugeMask;
        }

        ref var mmapBase = ref Tables.Processes.Get(Tables.MmapBase, process);
        var start = mmapBase - pages;
        var align = kind != VmaKind.Anonymous
            || (Config.Placement == MappingPlacement.Aligned2M && (pages & hugeMask) == 0);
        if (align)
        {
            start &= ~hugeMask;
        }

        mmapBase = start;
        var vma = Tables.Vmas.Create();
        Tables.Vmas.Get(Tables.VmaOwner, vma) = process;
        Tables.Vmas.Get(Tables.VmaStart, vma) = start;
        Tables.Vmas.Get(Tables.VmaPages, vma) = pages;
        Tables.Vmas.Get(Tables.VmaKind, vma) = (byte)kind;
        Tables.Vmas.Get(Tables.VmaHugepage, vma) = 0;
        Tables.Vmas.Get(Tables.VmaFile, vma) = file;
        Tables.Vmas.Get(Tables.VmaPtes, vma) = NewPtes(pages);
        Tables.LinkVma(process, vma);
        return vma;
    }
}
