using System.Runtime.Intrinsics;
using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

/// <summary>
/// <see cref="FlagScan"/>: the vectorized count and clear agree with the scalar reference on seeded random data of
/// every length around the vector widths, and the bitplane popcount agrees with a bit-by-bit count.
/// </summary>
public sealed class FlagScanTests
{
    public static TheoryData<int> Lengths
    {
        get
        {
            var data = new TheoryData<int>();
            foreach (var n in new[] { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 127, 128, 129, 1000, 4097 })
            {
                data.Add(n);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void CountSetMatchesTheScalarLoop(int length)
    {
        var words = RandomWords(length, seed: length);
        foreach (var mask in new[] { 1u, 1u << 3, 0x00004001u, 0x80000000u, uint.MaxValue, 0u })
        {
            var expected = 0;
            foreach (var w in words)
            {
                expected += (w & mask) != 0 ? 1 : 0;
            }

            Assert.Equal(expected, FlagScan.CountSet(words, mask));
            Assert.Equal(expected, FlagScan.CountSetScalar(words, mask));

            // Each vector path on its own, whichever one CountSet picks on this machine.
            if (Vector512.IsHardwareAccelerated)
            {
                Assert.Equal(expected, FlagScan.CountSetVector512(words, mask));
            }

            if (Vector256.IsHardwareAccelerated)
            {
                Assert.Equal(expected, FlagScan.CountSetVector256(words, mask));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void CountSetOfAllSetOrAllClearWordsIsTheLengthOrZero(int length)
    {
        var ones = Enumerable.Repeat(uint.MaxValue, length).ToArray();
        Assert.Equal(length, FlagScan.CountSet(ones, 1u << 31));
        Assert.Equal(0, FlagScan.CountSet(new uint[length], uint.MaxValue));
    }

    [Fact]
    public void CountSetOverSixteenMillionSetWordsDoesNotWrap()
    {
        // 2^24 words: every lane counter reaches 2^24 / 64; the total (2^24) exceeds any 16-bit or byte lane.
        var words = new uint[1 << 24];
        Array.Fill(words, 1u);
        Assert.Equal(1 << 24, FlagScan.CountSet(words, 1u));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ClearBitsMatchesTheScalarLoop(int length)
    {
        var original = RandomWords(length, seed: length + 100);
        var expected = original.Select(w => w & ~0x00F0000Fu).ToArray();
        var words = (uint[])original.Clone();
        FlagScan.ClearBits(words, 0x00F0000Fu);
        Assert.Equal(expected, words);

        // Each vector path on its own, whichever one ClearBits picks on this machine.
        if (Vector512.IsHardwareAccelerated)
        {
            words = (uint[])original.Clone();
            FlagScan.ClearBitsVector512(words, 0x00F0000Fu);
            Assert.Equal(expected, words);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            words = (uint[])original.Clone();
            FlagScan.ClearBitsVector256(words, 0x00F0000Fu);
            Assert.Equal(expected, words);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void PopCountMatchesABitByBitCount(int length)
    {
        var random = new Random(length + 200);
        var bits = new ulong[length];
        long expected = 0;
        for (var i = 0; i < length; i++)
        {
            bits[i] = ((ulong)(uint)random.Next() << 32) | (uint)random.Next();
            for (var b = 0; b < 64; b++)
            {
                expected += (long)((bits[i] >> b) & 1);
            }
        }

        Assert.Equal(expected, FlagScan.PopCount(bits));
    }

    private static uint[] RandomWords(int length, int seed)
    {
        var random = new Random(seed);
        var words = new uint[length];
        for (var i = 0; i < length; i++)
        {
            // Sparse and dense words both occur: some are zero, some all ones.
            words[i] = (random.Next(8)) switch
            {
                0 => 0u,
                1 => uint.MaxValue,
                _ => (uint)random.Next() ^ ((uint)random.Next() << 1),
            };
        }

        return words;
    }
}
