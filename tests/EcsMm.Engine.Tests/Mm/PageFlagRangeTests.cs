using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>
/// The generated range helpers (<c>CountPagesX</c>, <c>ClearPageXRange</c>) against a per-page scalar reference on
/// seeded random flag words, over spans whose length and start are not multiples of the vector width.
/// </summary>
public sealed class PageFlagRangeTests
{
    public static TheoryData<int, int> Spans => new()
    {
        { 0, 0 }, { 0, 1 }, { 3, 7 }, { 1, 15 }, { 0, 16 }, { 5, 17 }, { 2, 31 }, { 0, 33 }, { 7, 63 }, { 1, 65 },
        { 0, 4099 }, { 13, 10_007 }, { 0, 1 << 16 },
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void CountPagesMatchesTheScalarReference(int start, int count)
    {
        var map = RandomMap(start + count + 5, seed: count);
        var expectedLru = 0;
        var expectedReported = 0;
        for (var pfn = start; pfn < start + count; pfn++)
        {
            expectedLru += (map.Flags[pfn] & PageFlagAccessors.LruMask) != 0 ? 1 : 0;
            expectedReported += (map.Flags[pfn] & PageFlagAccessors.ReportedMask) != 0 ? 1 : 0;
        }

        Assert.Equal(expectedLru, map.CountPagesLru(start, count));
        Assert.Equal(expectedReported, map.CountPagesReported(start, count));
    }

    [Theory]
    [MemberData(nameof(Spans))]
    public void ClearPageRangeClearsTheBitInsideTheSpanOnly(int start, int count)
    {
        var map = RandomMap(start + count + 5, seed: count + 1);
        var before = (uint[])map.Flags.Clone();
        map.ClearPageReportedRange(start, count);
        for (var pfn = 0; pfn < before.Length; pfn++)
        {
            var inside = pfn >= start && pfn < start + count;
            var expected = inside ? before[pfn] & ~PageFlagAccessors.ReportedMask : before[pfn];
            Assert.Equal(expected, map.Flags[pfn]);
        }
    }

    [Fact]
    public void CountPagesRejectsASpanPastTheEnd()
    {
        var map = new MemMap(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.CountPagesLru(5, 6));
    }

    private static MemMap RandomMap(int pages, int seed)
    {
        var map = new MemMap(pages);
        var random = new Random(seed);
        for (var pfn = 0; pfn < pages; pfn++)
        {
            map.Flags[pfn] = (uint)random.Next() ^ ((uint)random.Next() << 1);
        }

        return map;
    }
}
