using EcsMm.Truth;

namespace EcsMm.Mm;

/// <summary>
/// A page-cache user of PG_private (mm/filemap.c, fs/*): folio_attach_private() while the page holds
/// buffer heads or other private data, folio_detach_private() before the last reference is dropped. Modelled
/// only as far as the flag goes, to show what happens when a user forgets the detach
/// (<see cref="PlantedBugs.PagePrivateLeakedToFree"/>): with the v2 series that bit is PG_zeroed on the free lists.
/// </summary>
public sealed class PageCacheUser
{
    private readonly PageAlloc _alloc;

    public PageCacheUser(PageAlloc alloc) => _alloc = alloc;

    /// <summary>folio_attach_private(): set PG_private on the head page.</summary>
    public void AttachPrivate(int pfn) => _alloc.Map.Flags[pfn] |= PageFlagAccessors.PrivateMask;

    /// <summary>
    /// folio_detach_private() then the final put: clear PG_private (unless the planted bug skips it) and free the
    /// block through the normal free path.
    /// </summary>
    /// <returns>False when free_pages_prepare() found the page bad (CONFIG_DEBUG_VM) and did not free it.</returns>
    public bool Release(int pfn, int order)
    {
        if ((_alloc.Config.Bugs & PlantedBugs.PagePrivateLeakedToFree) == 0)
        {
            _alloc.Map.Flags[pfn] &= ~PageFlagAccessors.PrivateMask;
        }

        return _alloc.FreePages(pfn, order);
    }
}
