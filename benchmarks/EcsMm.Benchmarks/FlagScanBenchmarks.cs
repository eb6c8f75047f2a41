using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using EcsMm.Ecs;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// Counting the pages with a flag over 2^24 pages (a 64 GiB guest of 4 KiB pages): the scalar loop, the
/// vectorized <see cref="FlagScan.CountSet"/>, and a 1-bit-per-page bitplane popcount, against the memory
/// bandwidth of the flag column's width (a plain vectorized sum over a <c>uint</c> column of the same length,
/// the baseline). Results are per page (<c>OperationsPerInvoke</c> = 2^24).
/// </summary>
[MemoryDiagnoser]
public class FlagScanBenchmarks
{
    public const int Pages = 1 << 24;

    private uint[] _flags = [];
    private ulong[] _bitplane = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240917);
        _flags = new uint[Pages];
        _bitplane = new ulong[Pages / 64];
        for (var pfn = 0; pfn < Pages; pfn++)
        {
            var word = (uint)random.Next() & MemMap.FlagMask;
            _flags[pfn] = word;
            if ((word & PageFlagAccessors.ReportedMask) != 0)
            {
                _bitplane[pfn >> 6] |= 1UL << (pfn & 63);
            }
        }
    }

    /// <summary>Memory-bandwidth baseline: the vectorized sum of every word of a column of 2^24 <c>uint</c>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Pages)]
    public uint BandwidthSumUInt32() => SumColumn(_flags);

    /// <summary>PageReported counted one word at a time.</summary>
    [Benchmark(OperationsPerInvoke = Pages)]
    public int CountReportedScalar() => FlagScan.CountSetScalar(_flags, PageFlagAccessors.ReportedMask);

    /// <summary>PageReported counted with the generated, vectorized range helper.</summary>
    [Benchmark(OperationsPerInvoke = Pages)]
    public int CountReportedVectorized() => FlagScan.CountSet(_flags, PageFlagAccessors.ReportedMask);

    /// <summary>The same count over a 1-bit-per-page bitplane (2 MiB for 2^24 pages).</summary>
    [Benchmark(OperationsPerInvoke = Pages)]
    public long CountReportedBitplane() => FlagScan.PopCount(_bitplane);

    /// <summary>A plain vectorized sum with four accumulators: the speed at which the column can be read.</summary>
    private static uint SumColumn(ReadOnlySpan<uint> words)
    {
        ref var start = ref MemoryMarshal.GetReference(words);
        nuint length = (nuint)words.Length;
        nuint step = (nuint)Vector512<uint>.Count;
        nuint i = 0;
        var a0 = Vector512<uint>.Zero;
        var a1 = Vector512<uint>.Zero;
        var a2 = Vector512<uint>.Zero;
        var a3 = Vector512<uint>.Zero;
        if (length >= 4 * step)
        {
            for (; i <= length - (4 * step); i += 4 * step)
            {
                a0 += Vector512.LoadUnsafe(ref start, i);
                a1 += Vector512.LoadUnsafe(ref start, i + step);
                a2 += Vector512.LoadUnsafe(ref start, i + (2 * step));
                a3 += Vector512.LoadUnsafe(ref start, i + (3 * step));
            }
        }

        var sum = Vector512.Sum(a0 + a1 + a2 + a3);
        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref start, i);
        }

        return sum;
    }
}
