using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>Booted guests for the allocator benchmarks: the default x86-64 layout (DMA, DMA32, Normal) and kernel profile.</summary>
internal static class Guests
{
    /// <summary>Parse a size with a K/M/G/T suffix (binary units).</summary>
    public static long Bytes(string size) => (long)EcsMm.Trace.SizeParser.Parse(size);

    /// <summary>The default configuration for a guest of <paramref name="size"/>.</summary>
    public static MemoryConfig Config(string size) => new() { GuestBytes = Bytes(size) };

    /// <summary>A mem_map and an allocator for <paramref name="size"/>, not booted.</summary>
    public static PageAlloc Create(string size)
    {
        var config = Config(size);
        return new PageAlloc(new MemMap(config.PageCount), config);
    }

    /// <summary>A booted allocator for <paramref name="size"/>.</summary>
    public static PageAlloc Booted(string size)
    {
        var alloc = Create(size);
        alloc.Boot();
        return alloc;
    }

    /// <summary>The GFP mask an order is usually allocated with: THP-sized Movable compound pages, else GFP_HIGHUSER_MOVABLE.</summary>
    public static Gfp GfpFor(int order) => order == MmConstants.HpagePmdOrder ? Gfp.TransHugeLight : Gfp.HighUserMovable;
}
