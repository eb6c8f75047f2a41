using EcsMm.Mm;
using EcsMm.Virt;

namespace EcsMm.Truth;

/// <summary>
/// The guest's accesses to its RAM, the only way ground truth changes on the guest side: a write dirties pages
/// (contents non-zero) or zeroes them (clear_page / kernel_init_pages / folio_zero_user), and either way the host
/// must back the pages first (a populate when they were discarded or never touched). A read of unbacked memory maps
/// the zero page. Without a <see cref="Host"/> (bare metal) only the contents bit changes.
/// </summary>
public sealed class GuestMemory
{
    private readonly uint[] _flags;

    public GuestMemory(MemMap map, Host? host = null)
    {
        Map = map;
        Host = host;
        _flags = map.Flags;
    }

    public MemMap Map { get; }

    public Host? Host { get; }

    /// <summary>4 KiB pages the guest wrote with data.</summary>
    public long PagesWritten { get; private set; }

    /// <summary>4 KiB pages the guest wrote with zeros (zeroing).</summary>
    public long PagesZeroed { get; private set; }

    /// <summary>The guest writes data to [pfn, pfn + pages): contents become non-zero.</summary>
    public void Write(int pfn, int pages)
    {
        Host?.OnGuestWrite(pfn, pages);
        var span = new Span<uint>(_flags, pfn, pages);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] |= MemMap.ContentNonZeroBit;
        }

        PagesWritten += pages;
    }

    /// <summary>The guest zeroes [pfn, pfn + pages) (a write of zeros): contents become zero.</summary>
    public void WriteZeros(int pfn, int pages)
    {
        Host?.OnGuestWrite(pfn, pages);
        Ecs.FlagScan.ClearBits(new Span<uint>(_flags, pfn, pages), MemMap.ContentNonZeroBit);
        PagesZeroed += pages;
    }

    /// <summary>The guest reads [pfn, pfn + pages); returns whether every page read as zero.</summary>
    public bool Read(int pfn, int pages)
    {
        Host?.OnGuestRead(pfn, pages);
        return Ecs.FlagScan.CountSet(new ReadOnlySpan<uint>(_flags, pfn, pages), MemMap.ContentNonZeroBit) == 0;
    }
}
