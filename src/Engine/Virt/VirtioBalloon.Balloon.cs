using EcsMm.Mm;

namespace EcsMm.Virt;

/// <summary>The balloon itself: fill_balloon (inflate) and leak_balloon (deflate, with patch 18's zeroed hint).</summary>
public sealed partial class VirtioBalloon
{
    private int[] _pages = new int[64];
    private int _count;
    private ulong[]? _partial;

    /// <summary>Pages currently in the balloon.</summary>
    public int BalloonPages => _count;

    /// <summary>Pages the balloon should hold (the device's num_pages); the Balloon phase moves toward it.</summary>
    public int TargetPages { get; set; }

    /// <summary>Pages inflated so far.</summary>
    public long Inflated { get; private set; }

    /// <summary>Pages deflated so far.</summary>
    public long Deflated { get; private set; }

    /// <summary>Pages the balloon could not allocate (balloon_page_alloc failed).</summary>
    public long InflateFailures { get; private set; }

    /// <summary>
    /// fill_balloon(): allocate order-0 pages (balloon_page_alloc: GFP_HIGHUSER_MOVABLE | __GFP_NOMEMALLOC |
    /// __GFP_NORETRY | __GFP_NOWARN, no zeroing) and tell the host on the inflate queue. QEMU's
    /// balloon_inflate_page() discards each page at once when the host page is 4 KiB; with huge host pages it
    /// keeps a bitmap of the ballooned 4 KiB parts and discards a host page only when all of them are ballooned.
    /// Nothing is discarded when virtio_balloon_inhibited().
    /// </summary>
    /// <returns>Pages added.</returns>
    public int Inflate(int pages)
    {
        var added = 0;
        for (var i = 0; i < pages; i++)
        {
            var r = Alloc.AllocPages(Gfp.HighUserMovable | Gfp.NoMemAlloc | Gfp.NoRetry | Gfp.NoWarn, 0);
            if (!r.Success)
            {
                InflateFailures++;
                break;
            }

            if (_count == _pages.Length)
            {
                Array.Resize(ref _pages, _pages.Length * 2);
            }

            _pages[_count++] = r.Pfn;
            added++;
            Inflated++;
            if (!Host.Config.DiscardInhibited)
            {
                InflatePageOnHost(r.Pfn);
            }
        }

        return added;
    }

    /// <summary>
    /// leak_balloon(): take the most recently ballooned pages out, tell the host (deflate queue; QEMU does
    /// MADV_WILLNEED, which changes nothing here), and free them with put_page(). With host_zeroes_pages, patch 18
    /// frees them with put_page_hint(PGHINT_ZEROED): the host discarded them on inflate, so they should be zero.
    /// </summary>
    /// <returns>Pages released.</returns>
    public int Deflate(int pages)
    {
        var released = 0;
        var hint = HostZeroesPages ? PageHint.Zeroed : PageHint.None;
        while (released < pages && _count > 0)
        {
            var pfn = _pages[--_count];
            ClearPartial(pfn);
            Alloc.PutPageHint(pfn, hint);
            released++;
            Deflated++;
        }

        return released;
    }

    /// <summary>Inflate or deflate toward <see cref="TargetPages"/> (virtballoon_changed → update_balloon_size_func).</summary>
    public void MoveTowardTarget()
    {
        if (TargetPages > _count)
        {
            Inflate(TargetPages - _count);
        }
        else if (TargetPages < _count)
        {
            Deflate(_count - TargetPages);
        }
    }

    private void InflatePageOnHost(int pfn)
    {
        var order = Host.HostPageOrder;
        if (order == 0)
        {
            Host.DiscardRange(pfn, 1);
            return;
        }

        // virtio_balloon_pbp: one bit per 4 KiB piece; discard the host page once every piece is ballooned.
        _partial ??= new ulong[(Alloc.Map.PageCount + 63) / 64];
        _partial[pfn >> 6] |= 1UL << (pfn & 63);
        var start = pfn & ~((1 << order) - 1);
        for (var p = start; p < start + (1 << order); p += 64)
        {
            if (_partial[p >> 6] != ulong.MaxValue)
            {
                return;
            }
        }

        Host.DiscardRange(start, 1 << order);
    }

    private void ClearPartial(int pfn)
    {
        if (_partial is { } bits)
        {
            bits[pfn >> 6] &= ~(1UL << (pfn & 63));
        }
    }
}
