using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsMm.Ecs;

/// <summary>
/// Vectorized scans over a column of 32-bit flag words: count the words with any bit of a mask set, clear a
/// mask over a span. Uses Vector512 or Vector256 when the hardware accelerates them, with a scalar tail.
/// </summary>
public static class FlagScan
{
    /// <summary>Counts the words in <paramref name="words"/> with any bit of <paramref name="mask"/> set.</summary>
    public static int CountSet(ReadOnlySpan<uint> words, uint mask)
    {
        ref var start = ref MemoryMarshal.GetReference(words);
        nuint length = (nuint)words.Length;
        nuint i = 0;
        long count = 0;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<uint>.Count)
        {
            var m = Vector512.Create(mask);
            var acc = Vector512<uint>.Zero;
            nuint last = length - (nuint)Vector512<uint>.Count;
            for (; i <= last; i += (nuint)Vector512<uint>.Count)
            {
                // (w & m) == 0 gives all-ones lanes; adding them subtracts one per clear lane.
                acc += Vector512.Equals(Vector512.LoadUnsafe(ref start, i) & m, Vector512<uint>.Zero);
            }

            // acc holds -(clear lanes) per lane, modulo 2^32: negate and widen.
            count += (long)i - SumLanes(-acc);
        }
        else if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<uint>.Count)
        {
            var m = Vector256.Create(mask);
            var acc0 = Vector256<uint>.Zero;
            var acc1 = Vector256<uint>.Zero;
            nuint step = (nuint)Vector256<uint>.Count;
            if (length >= 2 * step)
            {
                nuint last2 = length - (2 * step);
                for (; i <= last2; i += 2 * step)
                {
                    acc0 += Vector256.Equals(Vector256.LoadUnsafe(ref start, i) & m, Vector256<uint>.Zero);
                    acc1 += Vector256.Equals(Vector256.LoadUnsafe(ref start, i + step) & m, Vector256<uint>.Zero);
                }
            }

            nuint last = length - step;
            for (; i <= last; i += step)
            {
                acc0 += Vector256.Equals(Vector256.LoadUnsafe(ref start, i) & m, Vector256<uint>.Zero);
            }

            count += (long)i - SumLanes(-acc0) - SumLanes(-acc1);
        }

        for (; i < length; i++)
        {
            if ((Unsafe.Add(ref start, i) & mask) != 0)
            {
                count++;
            }
        }

        return checked((int)count);
    }

    /// <summary>The obvious scalar loop, kept as the reference the vectorized path is measured against.</summary>
    public static int CountSetScalar(ReadOnlySpan<uint> words, uint mask)
    {
        var count = 0;
        foreach (var w in words)
        {
            if ((w & mask) != 0)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Clears every bit of <paramref name="mask"/> in every word of <paramref name="words"/>.</summary>
    public static void ClearBits(Span<uint> words, uint mask)
    {
        ref var start = ref MemoryMarshal.GetReference(words);
        nuint length = (nuint)words.Length;
        nuint i = 0;
        var keep = ~mask;
        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<uint>.Count)
        {
            var k = Vector256.Create(keep);
            nuint last = length - (nuint)Vector256<uint>.Count;
            for (; i <= last; i += (nuint)Vector256<uint>.Count)
            {
                (Vector256.LoadUnsafe(ref start, i) & k).StoreUnsafe(ref start, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref start, i) &= keep;
        }
    }

    private static long SumLanes(Vector512<uint> v)
    {
        long sum = 0;
        for (var lane = 0; lane < Vector512<uint>.Count; lane++)
        {
            sum += v.GetElement(lane);
        }

        return sum;
    }

    private static long SumLanes(Vector256<uint> v)
    {
        long sum = 0;
        for (var lane = 0; lane < Vector256<uint>.Count; lane++)
        {
            sum += v.GetElement(lane);
        }

        return sum;
    }
}
