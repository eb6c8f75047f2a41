using EcsMm.Mm;

namespace EcsMm.Virt;

/// <summary>
/// The host's side of guest RAM (QEMU system/physmem.c and hw/virtio/virtio-balloon.c, over KVM): which host pages
/// back the guest, discards (ram_block_discard_range: MADV_DONTNEED / fallocate PUNCH_HOLE) and the refault a
/// guest write to a discarded page costs. The ground truth lives in <see cref="MemMap"/> (bit 20: contents
/// non-zero, bit 21: host backed); this class keeps one extra bit per host page, "discarded since last populated",
/// to tell refaults from first touches. The virtqueue, the exit and KVM's fault handling are abstracted into one
/// synchronous call.
/// </summary>
public sealed class Host
{
    private readonly uint[] _flags;
    private readonly ulong[] _discarded;

    public Host(MemMap map, HostConfig config)
    {
        config.Validate();
        Map = map;
        Config = config;
        _flags = map.Flags;
        HostPageOrder = config.HostPageOrder;
        var hostPages = (map.PageCount + (1 << HostPageOrder) - 1) >> HostPageOrder;
        _discarded = new ulong[(hostPages + 63) / 64];
    }

    public MemMap Map { get; }

    public HostConfig Config { get; }

    /// <summary>log2 of guest pages per host page.</summary>
    public int HostPageOrder { get; }

    public HostStats Stats { get; } = new();

    /// <summary>
    /// virtio_balloon_handle_report(): unless virtio_balloon_inhibited() or poison_val is set, discard every
    /// reported range with ram_block_discard_range(); a range whose start or length is not aligned to the RAMBlock
    /// page size is ignored ("for now we will simply ignore unaligned memory regions"). QEMU pushes the element back
    /// with used_len 0 either way, so a v2 guest cannot tell what happened; a device with the later series'
    /// DEVICE_INIT_REPORTED feature answers per entry, which <paramref name="discarded"/> receives when given.
    /// </summary>
    public void HandleReport(ReadOnlySpan<Mm.ReportedBlock> blocks, Span<bool> discarded = default)
    {
        if (Config.DiscardInhibited || Config.PoisonValue != 0)
        {
            Stats.SkippedInhibitedOrPoison += blocks.Length;
            discarded.Clear();
            return;
        }

        for (var i = 0; i < blocks.Length; i++)
        {
            var ok = DiscardRange(blocks[i].Pfn, 1 << blocks[i].Order);
            if (i < discarded.Length)
            {
                discarded[i] = ok;
            }
        }
    }

    /// <summary>
    /// QEMU's alignment check plus ram_block_discard_range(): drop the backing of [pfn, pfn + pages) if it is
    /// aligned to the host page size; afterwards the pages read as zero. Returns false when ignored.
    /// </summary>
    public bool DiscardRange(int pfn, int pages)
    {
        var mask = (1 << HostPageOrder) - 1;
        if (((pfn | pages) & mask) != 0)
        {
            Stats.SkippedUnaligned++;
            return false;
        }

        Stats.DiscardCalls++;
        Ecs.FlagScan.ClearBits(new Span<uint>(_flags, pfn, pages), MemMap.ContentNonZeroBit | MemMap.HostBackedBit);
        for (var hp = pfn >> HostPageOrder; hp < (pfn + pages) >> HostPageOrder; hp++)
        {
            _discarded[hp >> 6] |= 1UL << (hp & 63);
            Stats.DiscardedHostPages++;
        }

        return true;
    }

    /// <summary>
    /// The host side of a guest write to [pfn, pfn + pages): every host page without backing is populated (one
    /// EPT violation, a host page allocated and zero-filled, counted per host page), then the whole host page is backed.
    /// </summary>
    public void OnGuestWrite(int pfn, int pages)
    {
        var first = pfn >> HostPageOrder;
        var last = (pfn + pages - 1) >> HostPageOrder;
        var span = 1 << HostPageOrder;
        for (var hp = first; hp <= last; hp++)
        {
            // Backing is set and dropped for whole host pages (populate below, DiscardRange), so one guest page tells.
            var start = hp << HostPageOrder;
            if ((_flags[start] & MemMap.HostBackedBit) != 0)
            {
                continue;
            }

            Stats.Populates++;
            ref var word = ref _discarded[hp >> 6];
            var bit = 1UL << (hp & 63);
            if ((word & bit) != 0)
            {
                Stats.Refaults++;
                word &= ~bit;
            }

            var end = Math.Min(start + span, _flags.Length);
            for (var p = start; p < end; p++)
            {
                _flags[p] |= MemMap.HostBackedBit;
            }
        }
    }

    /// <summary>A guest read of [pfn, pfn + pages): unbacked pages map the shared zero page (no allocation).</summary>
    public void OnGuestRead(int pfn, int pages)
    {
        Stats.ZeroPageReads += pages - Ecs.FlagScan.CountSet(new ReadOnlySpan<uint>(_flags, pfn, pages), MemMap.HostBackedBit);
    }

    /// <summary>Whether the host page holding <paramref name="pfn"/> was discarded and not populated since.</summary>
    public bool IsDiscarded(int pfn)
    {
        var hp = pfn >> HostPageOrder;
        return (_discarded[hp >> 6] & (1UL << (hp & 63))) != 0;
    }
}
