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
        for (var (p, end) = (pfn, pfn + count); p < end;)
        {
            var (word, mask, n) = Slice(p, end);
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
        for (var (p, end) = (pfn, pfn + count); p < end;)
        {
            var (word, mask, n) = Slice(p, end);
            _bits[word] = set ? _bits[word] | mask : _bits[word] & ~mask;
            p += n;
        }
    }

    /// <summary>The bitmap word holding page <paramref name="p"/>, the mask of the pages of [p, end) in it, and how many they are.</summary>
    private static (int Word, ulong Mask, int Pages) Slice(int p, int end)
    {
        var bit = p & 63;
        var n = Math.Min(64 - bit, end - p);
        var mask = (n == 64 ? ulong.MaxValue : ((1UL << n) - 1)) << bit;
        return (p >> 6, mask, n);
    }
}
