using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Workloads;

/// <summary>What a background block is (decides its GFP flags and who frees it).</summary>
public enum BackgroundKind : byte
{
    /// <summary>Page cache (GFP_HIGHUSER_MOVABLE, order 0), freed by drop_caches or eviction.</summary>
    PageCache = 0,

    /// <summary>Reclaimable slab (GFP_KERNEL | __GFP_RECLAIMABLE), freed by drop_caches.</summary>
    ReclaimableSlab = 1,

    /// <summary>Long-lived unmovable kernel memory (GFP_KERNEL), never freed.</summary>
    LongLived = 2,

    /// <summary>Short-lived unmovable kernel memory (GFP_KERNEL, orders 0..1).</summary>
    ShortLived = 3,

    /// <summary>Movable churn of mixed sizes (GFP_HIGHUSER_MOVABLE, orders 0..3).</summary>
    Churn = 4,
}

/// <summary>
/// Background workloads that fragment memory realistically: page cache (movable), reclaimable and unmovable kernel
/// allocations (long- and short-lived, slab-like), mixed-size movable churn, and drop_caches. Live blocks are
/// entities of table "bg_blocks" (PFN, order, kind, expiry step); every block is written with data after
/// allocation (a guest write: the host populates it). Randomness comes from the world's seeded source. The
/// allocations are made directly against the allocator (kernel context); frees go through
/// <see cref="Mm.Systems.FreeRequests"/>. Slab internals (objects per page, partial slabs) are abstracted to whole pages.
/// </summary>
public sealed class BackgroundWorkload
{
    private readonly PageAlloc _alloc;
    private readonly GuestMemory _memory;
    private readonly Guest _guest;
    private readonly ComponentColumn<int> _pfn;
    private readonly ComponentColumn<byte> _order;
    private readonly ComponentColumn<byte> _kind;
    private readonly ComponentColumn<long> _expires;
    private readonly Queue<Entity> _pageCacheLru = new();
    private int _longLivedPages;

    public BackgroundWorkload(Guest guest, GuestMemory memory, BackgroundWorkloadSpec spec)
    {
        _guest = guest;
        _alloc = guest.Alloc;
        _memory = memory;
        Spec = spec;
        Blocks = guest.World.CreateTable("bg_blocks", 1024);
        _pfn = Blocks.AddColumn<int>("pfn");
        _order = Blocks.AddColumn<byte>("order");
        _kind = Blocks.AddColumn<byte>("kind");
        _expires = Blocks.AddColumn<long>("expires");
    }

    public BackgroundWorkloadSpec Spec { get; }

    public EntityTable Blocks { get; }

    /// <summary>Allocations made, failed.</summary>
    public long Allocations { get; private set; }

    public long Failures { get; private set; }

    /// <summary>Page-cache pages live now.</summary>
    public int PageCachePages { get; private set; }

    /// <summary>One step of background activity at world step <paramref name="step"/>.</summary>
    public void Step(long step)
    {
        var rng = _guest.World.Random;
        ExpireBlocks(step);
        for (var i = 0; i < Spec.PageCachePagesPerStep; i++)
        {
            ReadPageCachePage(freeEvictedNow: false);
        }

        for (var i = 0; i < Spec.ReclaimableSlabPerStep; i++)
        {
            Add(BackgroundKind.ReclaimableSlab, Gfp.Kernel | Gfp.Reclaimable, 0, long.MaxValue);
        }

        for (var i = 0; i < Spec.LongLivedPerStep && _longLivedPages < Spec.LongLivedMaxPages; i++)
        {
            if (Add(BackgroundKind.LongLived, Gfp.Kernel, 0, long.MaxValue) is not null)
            {
                _longLivedPages++;
            }
        }

        for (var i = 0; i < Spec.ShortLivedPerStep; i++)
        {
            Add(BackgroundKind.ShortLived, Gfp.Kernel, rng.NextInt(2), step + 1 + rng.NextInt(Spec.MaxLifetimeSteps));
        }

        for (var i = 0; i < Spec.ChurnPerStep; i++)
        {
            Add(BackgroundKind.Churn, Gfp.HighUserMovable, rng.NextInt(Spec.ChurnMaxOrder + 1), step + 1 + rng.NextInt(Spec.MaxLifetimeSteps));
        }
    }

    /// <summary>
    /// A burst of background memory use, all at once: <paramref name="pageCachePages"/> pages of files read into the
    /// page cache (order-0 movable; beyond <see cref="BackgroundWorkloadSpec.PageCacheMaxPages"/> the oldest page is
    /// evicted and freed at once, as direct reclaim would) and <paramref name="slabPages"/> pages of reclaimable slab
    /// (order-0 GFP_KERNEL | __GFP_RECLAIMABLE, freed by drop_caches). Every page is written with data.
    /// </summary>
    /// <returns>Pages loaded, and allocations that failed (the guest ran out of memory above the watermarks).</returns>
    public (long Loaded, long Failed) Load(long pageCachePages, long slabPages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageCachePages);
        ArgumentOutOfRangeException.ThrowIfNegative(slabPages);
        long loaded = 0;
        var failuresBefore = Failures;
        for (var i = 0L; i < pageCachePages; i++)
        {
            if (ReadPageCachePage(freeEvictedNow: true))
            {
                loaded++;
            }
        }

        for (var i = 0L; i < slabPages; i++)
        {
            if (Add(BackgroundKind.ReclaimableSlab, Gfp.Kernel | Gfp.Reclaimable, 0, long.MaxValue) is not null)
            {
                loaded++;
            }
        }

        return (loaded, Failures - failuresBefore);
    }

    /// <summary>
    /// echo 3 &gt; /proc/sys/vm/drop_caches: drop_pagecache_sb (every clean page-cache page) and drop_slab
    /// (reclaimable slab). Modelled as freeing every page-cache and reclaimable-slab block.
    /// </summary>
    /// <returns>Pages freed.</returns>
    public long DropCaches()
    {
        long freed = 0;
        var frees = _guest.FreeRequests;
        for (var row = Blocks.Count - 1; row >= 0; row--)
        {
            var kind = (BackgroundKind)_kind.Data[row];
            if (kind is not (BackgroundKind.PageCache or BackgroundKind.ReclaimableSlab))
            {
                continue;
            }

            frees.Add(_pfn.Data[row], _order.Data[row]);
            freed += 1L << _order.Data[row];
            Blocks.Destroy(Blocks.EntityAt(row));
        }

        _pageCacheLru.Clear();
        PageCachePages = 0;
        return freed;
    }

    private void ExpireBlocks(long step)
    {
        var frees = _guest.FreeRequests;
        for (var row = Blocks.Count - 1; row >= 0; row--)
        {
            if (_expires.Data[row] > step)
            {
                continue;
            }

            frees.Add(_pfn.Data[row], _order.Data[row]);
            Blocks.Destroy(Blocks.EntityAt(row));
        }
    }

    /// <summary>
    /// One page of file data into the page cache, evicting the oldest page first when the cache is at its cap (freed
    /// now, as direct reclaim would, or through the next Frees phase). False when the allocation failed.
    /// </summary>
    private bool ReadPageCachePage(bool freeEvictedNow)
    {
        if (PageCachePages >= Spec.PageCacheMaxPages)
        {
            EvictOldestPageCache(freeEvictedNow);
        }

        if (Add(BackgroundKind.PageCache, Gfp.HighUserMovable, 0, long.MaxValue) is not { } e)
        {
            return false;
        }

        _pageCacheLru.Enqueue(e);
        PageCachePages++;
        return true;
    }

    private void EvictOldestPageCache(bool freeNow)
    {
        while (_pageCacheLru.Count > 0)
        {
            var e = _pageCacheLru.Dequeue();
            if (!Blocks.IsAlive(e))
            {
                continue;
            }

            if (freeNow)
            {
                _alloc.FreePages(Blocks.Get(_pfn, e), Blocks.Get(_order, e));
            }
            else
            {
                _guest.FreeRequests.Add(Blocks.Get(_pfn, e), Blocks.Get(_order, e));
            }

            Blocks.Destroy(e);
            PageCachePages--;
            return;
        }
    }

    private Entity? Add(BackgroundKind kind, Gfp gfp, int order, long expires)
    {
        var r = _alloc.AllocPages(gfp, order);
        if (!r.Success)
        {
            Failures++;
            return null;
        }

        Allocations++;
        _memory.Write(r.Pfn, 1 << order);
        var e = Blocks.Create();
        Blocks.Get(_pfn, e) = r.Pfn;
        Blocks.Get(_order, e) = (byte)order;
        Blocks.Get(_kind, e) = (byte)kind;
        Blocks.Get(_expires, e) = expires;
        return e;
    }
}
