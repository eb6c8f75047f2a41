namespace EcsMm.Mm;

/// <summary>alloc_flags (mm/internal.h): the subset the model uses.</summary>
[Flags]
public enum AllocFlags
{
    None = 0,

    /// <summary>ALLOC_WMARK_MIN (value 0 in the kernel; here a distinct bit for readability).</summary>
    WmarkMin = 1 << 0,

    /// <summary>ALLOC_WMARK_LOW.</summary>
    WmarkLow = 1 << 1,

    /// <summary>ALLOC_WMARK_HIGH.</summary>
    WmarkHigh = 1 << 2,

    /// <summary>ALLOC_NO_WATERMARKS.</summary>
    NoWatermarks = 1 << 3,

    /// <summary>ALLOC_NOFRAGMENT: avoid mixing pageblocks; falls back only at pageblock order.</summary>
    NoFragment = 1 << 4,

    /// <summary>ALLOC_KSWAPD.</summary>
    Kswapd = 1 << 5,
}
