using EcsMm.Ecs;

namespace EcsMm.Mm;

/// <summary>
/// A memfd created with MFD_HUGETLB (mm/memfd.c over hugetlbfs): a file entity (table "files") whose page cache
/// holds 2 MiB hugetlb folios, each a folio entity owned by the file, kept here by huge-page index. Folios come from
/// faults on a mapping of the file (hugetlb_no_page) or from memfd_alloc_folio() when memfd_pin_folios() finds a hole
/// (seed patch 14 skips its zeroing on the hint); they are freed (free_huge_folio) when the file is closed.
/// </summary>
public sealed class Memfd
{
    private readonly int[] _cache;
    private readonly Entity[] _folios;

    internal Memfd(Entity entity, long pages)
    {
        Entity = entity;
        Pages = pages;
        _cache = new int[pages >> Hugetlb.Order];
        _folios = new Entity[_cache.Length];
        Array.Fill(_cache, -1);
    }

    /// <summary>The file's entity.</summary>
    public Entity Entity { get; }

    /// <summary>Size in 4 KiB pages (a multiple of 512).</summary>
    public long Pages { get; }

    /// <summary>Huge folios present in the page cache.</summary>
    public int Folios { get; private set; }

    /// <summary>Mappings of the file (each holds a reference: the file cannot be closed under them).</summary>
    public int Mappings { get; internal set; }

    /// <summary>The folio entities of the page cache by huge-page index (Entity.Null: a hole).</summary>
    internal ReadOnlySpan<Entity> FolioEntities => _folios;

    /// <summary>The head PFN of the folio at page <paramref name="index"/> (rounded to the huge page), or -1.</summary>
    public int FolioAt(long index) => _cache[index >> Hugetlb.Order];

    internal void Add(Memory memory, long index, int pfn)
    {
        _cache[index >> Hugetlb.Order] = pfn;
        _folios[index >> Hugetlb.Order] = memory.Tables.AddFolio(pfn, Hugetlb.Order, Entity, index & ~((1L << Hugetlb.Order) - 1), FolioKind.Hugetlb);
        Folios++;
    }

    internal void Clear()
    {
        Array.Fill(_cache, -1);
        Array.Clear(_folios);
        Folios = 0;
    }
}
