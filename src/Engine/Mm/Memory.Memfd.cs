using EcsMm.Ecs;
using EcsMm.Truth;

namespace EcsMm.Mm;

/// <summary>memfd_create(MFD_HUGETLB), memfd_pin_folios / memfd_alloc_folio, and close (mm/memfd.c).</summary>
public sealed partial class Memory
{
    private readonly Dictionary<Entity, Memfd> _files = [];

    /// <summary>memfd_create(name, MFD_HUGETLB) and ftruncate to <paramref name="bytes"/> (rounded up to 2 MiB).</summary>
    public Memfd MemfdCreate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var table = Guest.World.GetOrCreateTable("files", 4);
        var pages = (((bytes + MmConstants.PageSize - 1) >> MmConstants.PageShift) + MmConstants.PageblockNrPages - 1)
            & ~(MmConstants.PageblockNrPages - 1L);
        var file = new Memfd(table.Create(), pages);
        _files.Add(file.Entity, file);
        return file;
    }

    /// <summary>
    /// memfd_pin_folios() over [first, first + pages): every hole is filled by memfd_alloc_folio(), which allocates
    /// a hugetlb folio (pool, else surplus) and zeroes it unless it came with the zeroed hint (patch 14).
    /// </summary>
    /// <returns>Folios allocated.</returns>
    public int MemfdPinFolios(Memfd file, long first = 0, long pages = -1)
    {
        var end = pages < 0 ? file.Pages : Math.Min(file.Pages, first + pages);
        var allocated = 0;
        for (var index = first & ~((1L << Hugetlb.Order) - 1); index < end; index += 1L << Hugetlb.Order)
        {
            if (file.FolioAt(index) >= 0)
            {
                continue;
            }

            if (!AllocHugetlbFolio(ZeroingPath.Memfd, out var r, out _))
            {
                break;
            }

            file.Add(this, index, r.Pfn);
            allocated++;
        }

        return allocated;
    }

    /// <summary>
    /// The last close of the file (after every mapping of it is gone): remove_inode_hugepages() walks the page cache by
    /// index and each folio goes to free_huge_folio.
    /// </summary>
    public void MemfdClose(Memfd file)
    {
        if (file.Mappings > 0)
        {
            throw new InvalidOperationException("memfd closed while a mapping of it exists: the mapping holds a reference to the file (munmap it first)");
        }

        var folios = Tables.Folios;
        foreach (var folio in file.FolioEntities)
        {
            if (folio != Entity.Null)
            {
                Hugetlb.FreeFolio(folios.Get(Tables.FolioPfn, folio));
                folios.Destroy(folio);
            }
        }

        file.Clear();
        _files.Remove(file.Entity);
        Guest.World.Table("files").Destroy(file.Entity);
    }

    private Memfd MemfdOf(Entity file) => _files[file];
}
