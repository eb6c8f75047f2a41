using System.Text;
using EcsMm.Mm;
using EcsMm.Trace;
using EcsMm.Truth;

namespace EcsMm.Tests.Trace;

/// <summary>Exact replay of kmem events on a fresh guest (ecsmm replay TRACE --memory SIZE).</summary>
public sealed class TraceReplayTests
{
    private static ReplayOutcome Replay(string text, long bytes = 4L << 20)
    {
        using var reader = FtraceReader.FromText(text, "t.trace");
        return TraceReplay.ReplayFresh(reader, bytes);
    }

    [Fact]
    public void AllocationsTakeTheTracedPfnAndFreesMergeBack()
    {
        var outcome = Replay("""
            mm_page_alloc: page=00000000deadbeef pfn=0x5 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE
            mm_page_alloc: page=00000000deadbeef pfn=0x200 order=9 migratetype=1 gfp_flags=GFP_TRANSHUGE
            mm_page_free: page=00000000deadbeef pfn=0x5 order=0
            mm_page_free: page=00000000deadbeef pfn=0x200 order=9
            """);

        Assert.True(outcome.Success, outcome.Error?.ToString());
        Assert.Equal(2, outcome.Counts.Allocations);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], outcome.BuddyInfo);
        Assert.Equal("Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      1 ", outcome.BuddyInfoLine());
    }

    [Fact]
    public void AnAllocationSplitsTheFreeBlockThatHoldsThePage__take_page_off_buddy()
    {
        var outcome = Replay("mm_page_alloc: page=00000000deadbeef pfn=0x3 order=0 migratetype=1 gfp_flags=GFP_KERNEL\n");

        Assert.True(outcome.Success, outcome.Error?.ToString());
        // 1024 pages minus PFN 3: blocks of order 0 (2), 1 (0), 2..9 (4..512).
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0], outcome.BuddyInfo);
        var violations = new InvariantChecker(outcome.Allocator!).Check();
        Assert.Empty(violations);
    }

    [Fact]
    public void APageStillOnAPcpListIsTakenFromThere()
    {
        var outcome = Replay("""
            mm_page_alloc: page=00000000deadbeef pfn=0x10 order=0 migratetype=1 gfp_flags=GFP_KERNEL
            mm_page_free: page=00000000deadbeef pfn=0x10 order=0
            mm_page_alloc: page=00000000deadbeef pfn=0x10 order=0 migratetype=1 gfp_flags=GFP_KERNEL
            mm_page_free: page=00000000deadbeef pfn=0x10 order=0
            mm_page_alloc: page=00000000deadbeef pfn=0x10 order=2 migratetype=1 gfp_flags=GFP_KERNEL
            mm_page_free: page=00000000deadbeef pfn=0x10 order=2
            """, bytes: 4L << 20);

        Assert.True(outcome.Success, outcome.Error?.ToString());
        Assert.Equal(3, outcome.Counts.Allocations);
        Assert.Equal(1, outcome.BuddyInfo[10]);
    }

    [Theory]
    [InlineData("mm_page_alloc: page=00000000deadbeef pfn=0x5 order=0 migratetype=1 gfp_flags=GFP_KERNEL\nmm_page_alloc: page=00000000deadbeef pfn=0x5 order=0 migratetype=1 gfp_flags=GFP_KERNEL\n", 2, "page 0x5 is not free")]
    [InlineData("mm_page_free: page=00000000deadbeef pfn=0x7 order=0\n", 1, "page 0x7 is not allocated")]
    [InlineData("mm_page_alloc: page=00000000deadbeef pfn=0x100000 order=0 migratetype=1 gfp_flags=GFP_KERNEL\n", 1, "outside memory")]
    [InlineData("mm_page_alloc: page=00000000deadbeef pfn=0x3 order=2 migratetype=1 gfp_flags=GFP_KERNEL\n", 1, "not aligned")]
    public void AContradictingLineStopsTheReplayNamingTheLine(string text, long line, string reason)
    {
        var outcome = Replay(text);

        Assert.False(outcome.Success);
        Assert.Equal(line, outcome.Error!.Value.Line);
        Assert.Contains(reason, outcome.Error.Value.Reason);
        Assert.StartsWith($"t.trace:{line}: ", outcome.Error.Value.ToString());
    }

    [Theory]
    [InlineData("mm_page_alloc: page=00000000deadbeef pfn=0x0 order=11 migratetype=1 gfp_flags=GFP_KERNEL\n")]
    [InlineData("mm_page_free: page=00000000deadbeef pfn=zz order=0\n")]
    public void AMalformedLineOrAnOrderAboveTenStopsTheReplay(string text)
    {
        var outcome = Replay(text);

        Assert.False(outcome.Success);
        Assert.Equal(1, outcome.Error!.Value.Line);
    }

    [Fact]
    public void RandomValidTracesEndInTheMaximalBuddyMergeOfTheFinalFreeSet()
    {
        const int pages = 1 << 18;   // 1 GiB
        var (text, free) = RandomTrace.Generate(seed: 12345, pages, events: 1_000_000);

        using var reader = new FtraceReader(new MemoryStream(text), "random.trace");
        var outcome = TraceReplay.ReplayFresh(reader, (long)pages << 12);

        Assert.True(outcome.Success, outcome.Error?.ToString());
        Assert.Equal(1_000_000, outcome.Counts.Allocations + outcome.Counts.Frees);
        Assert.Equal(RandomTrace.MaximalMerge(free), outcome.BuddyInfo);
        Assert.Empty(new InvariantChecker(outcome.Allocator!).Check());
    }

    [Fact]
    public void RandomValidTracesReplayTheSameUnderTheLinux61Profile()
    {
        const int pages = 1 << 16;
        var (text, free) = RandomTrace.Generate(seed: 7, pages, events: 100_000);

        using var reader = new FtraceReader(new MemoryStream(text), "random.trace");
        var outcome = TraceReplay.ReplayFresh(reader, (long)pages << 12, KernelProfile.Linux61);

        Assert.True(outcome.Success, outcome.Error?.ToString());
        Assert.Equal(RandomTrace.MaximalMerge(free), outcome.BuddyInfo);
    }

    /// <summary>Generates valid alloc/free traces with an independent model of the free-page set.</summary>
    private static class RandomTrace
    {
        public static (byte[] Text, bool[] Free) Generate(ulong seed, int pages, int events)
        {
            var rng = new EcsMm.Ecs.RandomSource(seed);
            var free = new bool[pages];
            Array.Fill(free, true);
            var blocks = new List<(int Pfn, int Order)>();
            var sb = new StringBuilder(events * 72);
            var freePages = pages;
            var emitted = 0;
            while (emitted < events)
            {
                var wantAlloc = blocks.Count == 0 || (freePages > pages / 2 ? rng.NextInt(100) < 60 : rng.NextInt(100) < 40);
                if (wantAlloc)
                {
                    var order = rng.NextInt(100) switch
                    {
                        < 60 => 0,
                        < 75 => rng.NextInt(1, 4),
                        < 90 => 9,
                        _ => rng.NextInt(4, 11),
                    };
                    var pfn = rng.NextInt(pages >> order) << order;
                    if (!AllFree(free, pfn, 1 << order))
                    {
                        continue;
                    }

                    Array.Fill(free, false, pfn, 1 << order);
                    freePages -= 1 << order;
                    blocks.Add((pfn, order));
                    sb.Append("mm_page_alloc: page=00000000deadbeef pfn=0x").Append(pfn.ToString("x")).Append(" order=").Append(order)
                      .Append(" migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE\n");
                }
                else
                {
                    var i = rng.NextInt(blocks.Count);
                    var (pfn, order) = blocks[i];
                    blocks[i] = blocks[^1];
                    blocks.RemoveAt(blocks.Count - 1);
                    Array.Fill(free, true, pfn, 1 << order);
                    freePages += 1 << order;
                    sb.Append(order == 0 && rng.NextInt(2) == 0 ? "mm_page_free_batched: page=00000000deadbeef pfn=0x" : "mm_page_free: page=00000000deadbeef pfn=0x")
                      .Append(pfn.ToString("x")).Append(" order=").Append(order).Append('\n');
                }

                emitted++;
            }

            return (Encoding.ASCII.GetBytes(sb.ToString()), free);
        }

        private static bool AllFree(bool[] free, int pfn, int count) => free.AsSpan(pfn, count).IndexOf(false) < 0;

        /// <summary>Free blocks per order of the maximal buddy decomposition of a free set.</summary>
        public static long[] MaximalMerge(bool[] free)
        {
            var counts = new long[MmConstants.NrPageOrders];
            for (var start = 0; start < free.Length; start += MmConstants.MaxOrderNrPages)
            {
                Decompose(free, start, MmConstants.MaxPageOrder, counts);
            }

            return counts;
        }

        private static void Decompose(bool[] free, int pfn, int order, long[] counts)
        {
            if (AllFree(free, pfn, 1 << order))
            {
                counts[order]++;
                return;
            }

            if (order == 0)
            {
                return;
            }

            Decompose(free, pfn, order - 1, counts);
            Decompose(free, pfn + (1 << (order - 1)), order - 1, counts);
        }
    }
}
