using System.Numerics;

namespace EcsMm.Trace;

/// <summary>One bit per page: which pages a replayed trace has allocated (and not yet freed).</summary>
internal sealed class AllocatedPages
{
    private readonly ulong[] _bits;

    public AllocatedPages(int pages) => _bits = new ulong[(pages + 63) / 64];

    /// <summary>Mark [pfn, pfn + count) allocated.</summary>
    public void Set(int pfn, int count) => Apply(pfn, count, set: true);

    /// <summary>Mark [pfn, pfn + count) free.</summary>
    public void Clear(int pfn, int count) => Apply(pfn, count, set: false);

    /// <summary>The first page of [pfn, pfn + count) that is not allocated, or −1.</summary>
    public int FirstNotAllocated(int pfn, int count)
    {
        var end = pfn + count;
        var p = pfn;
        while (p < end)
        {
            var word = p >> 6;
            var bit = p & 63;
            var n = Math.Min(64 - bit, end - p);
            var mask = (n == 64 ? ulong.MaxValue : ((1UL << n) - 1)) << bit;
            var missing = ~_bits[word] & mask;
            if (missing != 0)
            {
                return (word << 6) + BitOperations.TrailingZeroCount(missing);
            }

            p += n;
        }

        return -1;
    }

    private void Apply(int pfn, int count, bool set)
    {
        var end = pfn + count;
        var p = pfn;
        while (p < end)
        {
            var word = p >> 6;
            var bit = p & 63;
            var n = Math.Min(64 - bit, end - p);
            var mask = (n == 64 ? ulong.MaxValue : ((1UL << n) - 1)) << bit;
            if (set)
            {
                _bits[word] |= mask;
            }
            else
            {
                _bits[word] &= ~mask;
            }

            p += n;
        }
    }
}
