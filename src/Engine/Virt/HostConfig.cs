using EcsMm.Truth;

namespace EcsMm.Virt;

/// <summary>How the host (QEMU) backs guest RAM and treats discards.</summary>
public sealed record HostConfig
{
    /// <summary>qemu_ram_pagesize() of the RAMBlock: 4 KiB for ordinary anonymous memory, 2 MiB for a THP / hugetlbfs backing.</summary>
    public int HostPageBytes { get; init; } = 4096;

    /// <summary>virtio_balloon_inhibited(): discards are disabled (VFIO and other RamDiscard users, postcopy, background snapshot).</summary>
    public bool DiscardInhibited { get; init; }

    /// <summary>The device's poison_val (VIRTIO_BALLOON_F_PAGE_POISON); non-zero makes QEMU skip every reported range.</summary>
    public uint PoisonValue { get; init; }

    /// <summary>Host page order (0 for 4 KiB, 9 for 2 MiB).</summary>
    public int HostPageOrder => System.Numerics.BitOperations.Log2((uint)(HostPageBytes >> Mm.MmConstants.PageShift));

    /// <summary>
    /// The configuration a planted host bug asks for: discard inhibited, or a poison value. (The third host-side
    /// bug, a block smaller than the host page, is a page_reporting_order below <see cref="HostPageOrder"/>.)
    /// </summary>
    public HostConfig WithBugs(PlantedBugs bugs) => this with
    {
        DiscardInhibited = DiscardInhibited || (bugs & PlantedBugs.DiscardInhibitedWithHostZeroes) != 0,
        PoisonValue = (bugs & PlantedBugs.PoisonValueSet) != 0 && PoisonValue == 0 ? 0xaau : PoisonValue,
    };

    /// <summary>Checks the host page size: 4 KiB or 2 MiB.</summary>
    public void Validate()
    {
        if (HostPageBytes is not (4096 or 2 << 20))
        {
            throw new ArgumentException($"host page size must be 4096 or 2097152 bytes, got {HostPageBytes}", nameof(HostPageBytes));
        }
    }
}
