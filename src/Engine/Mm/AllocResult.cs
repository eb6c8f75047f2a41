namespace EcsMm.Mm;

/// <summary>pghint_t (seed patch 2): what post_alloc_hook tells the caller about the pages it returns.</summary>
public enum PageHint : byte
{
    /// <summary>Nothing known.</summary>
    None = 0,

    /// <summary>PGHINT_ZEROED: the pages are known to be zero (the host zeroed them); the caller may skip its own zeroing.</summary>
    Zeroed = 1,
}

/// <summary>The outcome of an allocation: a block, or a counted failure (never an exception).</summary>
public readonly record struct AllocResult(int Pfn, int Order, PageHint Hint, bool ZeroedByAllocator)
{
    public static AllocResult Failed(int order) => new(-1, order, PageHint.None, false);

    public bool Success => Pfn >= 0;
}
