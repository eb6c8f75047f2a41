using EcsMm.Mm;

namespace EcsMm.Truth;

/// <summary>
/// The ground-truth oracle for PG_zeroed (DESIGN §5, kernel-domain §5.7). Every zeroing the guest performs is a
/// guest write of zeros through <see cref="GuestMemory"/>; every zeroing skipped on the strength of a
/// PGHINT_ZEROED hint is checked against the truth, and skipping on a page that is not zero is recorded as
/// <see cref="DataCorruption"/> with the PFN, the order and the path. In validate mode the first one throws
/// <see cref="DataCorruptionException"/>. Install it as <see cref="PageAlloc.AllocZeroingHook"/> for
/// post_alloc_hook; callers that zero for themselves report through <see cref="OnCallerZeroing"/> and
/// <see cref="OnCallerSkipped"/>.
/// </summary>
public sealed class ZeroingOracle : IAllocZeroingHook
{
    private readonly uint[] _flags;

    public ZeroingOracle(GuestMemory memory, Func<long>? clock = null)
    {
        Memory = memory;
        _flags = memory.Map.Flags;
        Clock = clock ?? (() => 0);
    }

    public GuestMemory Memory { get; }

    /// <summary>Simulated time for the records.</summary>
    public Func<long> Clock { get; }

    /// <summary>Stop at the first corruption (throw <see cref="DataCorruptionException"/>).</summary>
    public bool Validate { get; set; }

    /// <summary>Pages zeroed by the guest, per <see cref="ZeroingPath"/>.</summary>
    public long[] PagesZeroed { get; } = new long[ZeroingPaths.Count];

    /// <summary>Pages whose zeroing was skipped on a hint, per <see cref="ZeroingPath"/>.</summary>
    public long[] PagesSkipped { get; } = new long[ZeroingPaths.Count];

    /// <summary>Skips that were correct (every page really zero), in blocks.</summary>
    public long CorrectSkips { get; private set; }

    /// <summary>Data corruptions found (blocks).</summary>
    public long Corruptions { get; private set; }

    /// <summary>The first corruptions (at most 64 kept).</summary>
    public List<DataCorruption> Log { get; } = [];

    /// <inheritdoc/>
    public void OnGuestZeroing(int pfn, int order) => OnCallerZeroing(pfn, order, ZeroingPath.PostAllocHook);

    /// <inheritdoc/>
    public void OnZeroingSkipped(int pfn, int order) => OnCallerSkipped(pfn, order, ZeroingPath.PostAllocHook);

    /// <summary>A zeroing done on <paramref name="path"/>: a guest write of zeros.</summary>
    public void OnCallerZeroing(int pfn, int order, ZeroingPath path)
    {
        Memory.WriteZeros(pfn, 1 << order);
        PagesZeroed[(int)path] += 1L << order;
    }

    /// <summary>A zeroing skipped on <paramref name="path"/> because of the hint: check it against the truth.</summary>
    /// <returns>True when the skip was correct.</returns>
    public bool OnCallerSkipped(int pfn, int order, ZeroingPath path)
    {
        var pages = 1 << order;
        PagesSkipped[(int)path] += pages;
        var dirty = Ecs.FlagScan.CountSet(new ReadOnlySpan<uint>(_flags, pfn, pages), MemMap.ContentNonZeroBit);
        if (dirty == 0)
        {
            CorrectSkips++;
            return true;
        }

        var first = pfn;
        while ((_flags[first] & MemMap.ContentNonZeroBit) == 0)
        {
            first++;
        }

        var corruption = new DataCorruption(pfn, order, path, first, dirty, Clock());
        Corruptions++;
        if (Log.Count < 64)
        {
            Log.Add(corruption);
        }

        if (Validate)
        {
            throw new DataCorruptionException(corruption);
        }

        return false;
    }
}
