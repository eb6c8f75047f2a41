using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>Migratetype fallback: the fallbacks table, should_try_claim_block, try_to_claim_block, __rmqueue_steal (mainline) and 6.1's steal_suitable_fallback.</summary>
public sealed class FallbackTests
{
    [Theory]
    [InlineData(MigrateType.Unmovable, MigrateType.Reclaimable, MigrateType.Movable)]
    [InlineData(MigrateType.Movable, MigrateType.Reclaimable, MigrateType.Unmovable)]
    [InlineData(MigrateType.Reclaimable, MigrateType.Unmovable, MigrateType.Movable)]
    public void FallbackOrderFollowsTheTable__fallbacks(MigrateType start, MigrateType first, MigrateType second)
    {
        Assert.Equal([first, second], PageAlloc.Fallbacks[(int)start]);
    }

    [Theory]
    [InlineData(9, MigrateType.Movable, true)]
    [InlineData(4, MigrateType.Movable, true)]
    [InlineData(3, MigrateType.Movable, false)]
    [InlineData(0, MigrateType.Movable, false)]
    [InlineData(0, MigrateType.Unmovable, true)]
    [InlineData(0, MigrateType.Reclaimable, true)]
    public void SmallMovableRequestsNeverClaim__should_try_claim_block(int order, MigrateType mt, bool expected)
    {
        Assert.Equal(expected, PageAlloc.ShouldTryClaimBlock(order, mt));
    }

    [Fact]
    public void ClaimsWholePageblocksAtPageblockOrderAndAbove__try_to_claim_block()
    {
        var a = TestAllocators.SingleZone(mib: 16);   // every pageblock Movable, all free in order-10 blocks

        var r = a.AllocPages(Gfp.Kernel, 0);           // Unmovable order 0: no Unmovable blocks → claim the largest

        Assert.True(r.Success);
        var block = r.Pfn & ~1023;
        Assert.Equal(MigrateType.Unmovable, a.PageblockType(block));
        Assert.Equal(MigrateType.Unmovable, a.PageblockType(block + 512));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void ClaimsAPageblockBelowPageblockOrderOnlyWhenHalfOfItIsFreeOrAlike__try_to_claim_block()
    {
        var a = TestAllocators.Empty();
        // Pageblock 0: 256 free pages (an order-8 block) → claimable for an Unmovable request (free ≥ 256).
        a.FreeOnePageCore(0, 0, 8, MigrateType.Movable, FpiFlags.None);
        // Pageblock 1: 128 free pages, the rest allocated Movable (PG_lru): alike pages = 0 for Unmovable.
        a.FreeOnePageCore(512, 0, 7, MigrateType.Movable, FpiFlags.None);
        for (var p = 640; p < 1024; p++)
        {
            a.Map.SetPageLruNonAtomic(p);
        }

        // Claim scans from high orders down: the order-8 block in pageblock 0 is tried first and claimed.
        var pfn = a.RmqueueClaim(0, 0, MigrateType.Unmovable, AllocFlags.None);
        Assert.InRange(pfn, 0, 255);
        Assert.Equal(MigrateType.Unmovable, a.PageblockType(0));

        // Pageblock 1: 128 free + 0 alike < 256, claim fails: nothing moves.
        var pfn2 = a.TryToClaimBlock(0, 512, 7, 0, MigrateType.Unmovable, MigrateType.Movable);
        Assert.Equal(-1, pfn2);
        Assert.Equal(MigrateType.Movable, a.PageblockType(512));
        Assert.Equal([512], TestAllocators.FreeList(a, 7, MigrateType.Movable));
    }

    [Fact]
    public void StealingTakesTheSmallestFallbackBlockAndKeepsThePageblockType__rmqueue_steal()
    {
        var a = TestAllocators.Empty();
        a.SetPageblockType(0, MigrateType.Unmovable);
        a.FreeOnePageCore(0, 0, 1, MigrateType.Unmovable, FpiFlags.None);
        a.FreeOnePageCore(64, 0, 3, MigrateType.Unmovable, FpiFlags.None);

        var pfn = a.RmqueueBuddy(0, 0, MigrateType.Movable, AllocFlags.None);   // small movable steals

        Assert.Equal(0, pfn);
        Assert.Equal(MigrateType.Unmovable, a.PageblockType(0));
        Assert.Equal([1], TestAllocators.FreeList(a, 0, MigrateType.Unmovable));
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void Linux61MovesThePageblockFreePagesEvenWithoutClaimingIt__steal_suitable_fallback()
    {
        var a = TestAllocators.Empty(kernel: KernelProfile.Linux61);
        // One Movable pageblock with 64 free pages (order 6) and 448 Movable allocated pages.
        a.FreeOnePageCore(0, 0, 6, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(128, 0, 0, MigrateType.Movable, FpiFlags.None);
        for (var p = 64; p < 512; p++)
        {
            if (p != 128)
            {
                a.Map.SetPageLruNonAtomic(p);
            }
        }

        var pfn = a.RmqueueBuddy(0, 0, MigrateType.Unmovable, AllocFlags.None);

        // Unmovable can steal (can_steal_fallback), free 65 + alike 0 < 256: the pageblock stays Movable, but its
        // free pages moved to the Unmovable lists, and the retried __rmqueue_smallest took the order-0 one.
        Assert.Equal(128, pfn);
        Assert.Equal(MigrateType.Movable, a.PageblockType(0));
        Assert.Empty(TestAllocators.FreeList(a, 6, MigrateType.Movable));
        Assert.Equal([0], TestAllocators.FreeList(a, 6, MigrateType.Unmovable));
    }

    [Fact]
    public void FindsTheFirstFallbackTypeWithABlockOrSaysWhyNot__find_suitable_fallback()
    {
        var a = TestAllocators.Empty();
        Assert.Equal(-1, a.FindSuitableFallback(0, 3, MigrateType.Unmovable, claimable: false));   // nothing free
        Assert.Equal(-2, a.FindSuitableFallback(0, 0, MigrateType.Movable, claimable: true));     // small movable never claims

        a.SetPageblockType(0, MigrateType.Movable);
        a.FreeOnePageCore(0, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.SetPageblockType(512, MigrateType.Reclaimable);
        a.FreeOnePageCore(512, 0, 3, MigrateType.Reclaimable, FpiFlags.None);

        // Unmovable falls back to Reclaimable before Movable.
        Assert.Equal((int)MigrateType.Reclaimable, a.FindSuitableFallback(0, 3, MigrateType.Unmovable, claimable: true));
    }

    [Fact]
    public void MovesEveryFreeBlockOfThePageblockToTheTailOfTheNewTypesLists__move_freepages_block()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 2, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(64, 0, 4, MigrateType.Movable, FpiFlags.None);
        a.SetPageblockType(1024, MigrateType.Unmovable);
        a.FreeOnePageCore(1024, 0, 2, MigrateType.Unmovable, FpiFlags.None);   // already on the Unmovable order-2 list

        var moved = a.MoveFreepagesBlock(0, 0, MigrateType.Unmovable);

        Assert.Equal(4 + 16, moved);
        Assert.Equal([1024, 0], TestAllocators.FreeList(a, 2, MigrateType.Unmovable));   // appended at the tail
        Assert.Equal([64], TestAllocators.FreeList(a, 4, MigrateType.Unmovable));
        Assert.Empty(TestAllocators.FreeList(a, 2, MigrateType.Movable));
    }

    [Fact]
    public void RetypesEveryPageblockTheBlockSpans__change_pageblock_range()
    {
        var a = TestAllocators.Empty();
        a.ChangePageblockRange(1024, 10, MigrateType.Reclaimable);
        Assert.Equal(MigrateType.Movable, a.PageblockType(512));
        Assert.Equal(MigrateType.Reclaimable, a.PageblockType(1024));
        Assert.Equal(MigrateType.Reclaimable, a.PageblockType(1536));
        Assert.Equal(MigrateType.Movable, a.PageblockType(2048));
    }

    [Fact]
    public void WithAllocNoFragmentASmallRequestOnlyClaimsFromPageblockOrderUp__rmqueue_claim()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(2048, 0, 3, MigrateType.Movable, FpiFlags.None); // only a small Movable fallback block

        Assert.Equal(-1, a.RmqueueClaim(0, 0, MigrateType.Unmovable, AllocFlags.NoFragment));
        Assert.Equal(MigrateType.Movable, a.PageblockType(2048)); // nothing claimed
        Assert.True(a.RmqueueClaim(0, 0, MigrateType.Unmovable, AllocFlags.None) >= 0);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void Linux61TakesTheLargestFallbackBlockForAnUnmovableRequest__rmqueue_fallback()
    {
        var a = TestAllocators.Empty(kernel: KernelProfile.Linux61);
        a.FreeOnePageCore(512, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(1024, 0, 6, MigrateType.Movable, FpiFlags.None);

        var pfn = a.RmqueueBuddy(0, 0, MigrateType.Unmovable, AllocFlags.None);
        Assert.InRange(pfn, 1024, 1024 + 63);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void CountsTheFreePagesByBlockAndTheLruPagesOfThePageblock__prep_move_freepages_block()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(512 + 8, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(512 + 100, 0, 0, MigrateType.Movable, FpiFlags.None);
        for (var p = 512 + 200; p < 512 + 205; p++)
        {
            a.Map.SetPageLruNonAtomic(p);
        }

        a.Map.SetPageLruNonAtomic(5);   // another pageblock: not counted

        Assert.True(a.PrepMoveFreepagesBlock(0, 512 + 300, out var start, out var free, out var movable));
        Assert.Equal(512, start);
        Assert.Equal(9, free);
        Assert.Equal(5, movable);
    }

    [Fact]
    public void APageblockThatStraddlesTheZoneEndIsNotTouched__prep_move_freepages_block()
    {
        // A zone ending mid-pageblock: [0, 768).
        var config = new MemoryConfig { GuestBytes = 4L << 20, ZoneSpecs = [new ZoneSpec(ZoneType.Normal, 0, 768)], Reserved = [], PcpHigh = 64, PcpBatch = 8 };
        var a = new PageAlloc(new MemMap(config.PageCount), config);
        a.Boot();

        Assert.True(a.PrepMoveFreepagesBlock(0, 100, out _, out var free, out _));
        Assert.Equal(512, free);
        Assert.False(a.PrepMoveFreepagesBlock(0, 600, out _, out _, out _));
    }

    [Fact]
    public void Linux61ASmallMovableRequestStealsAWholeBlockOnlyFromHalfAPageblockUp__can_steal_fallback()
    {
        // Order 4 (= pageblock_order / 2) can steal: the pageblock's free pages all move to Movable.
        var big = TestAllocators.Empty(kernel: KernelProfile.Linux61);
        big.SetPageblockType(0, MigrateType.Unmovable);
        big.FreeOnePageCore(16, 0, 4, MigrateType.Unmovable, FpiFlags.None);
        big.FreeOnePageCore(100, 0, 0, MigrateType.Unmovable, FpiFlags.None);

        Assert.Equal(100, big.RmqueueBuddy(0, 0, MigrateType.Movable, AllocFlags.None));
        Assert.Equal([16], TestAllocators.FreeList(big, 4, MigrateType.Movable));
        Assert.Equal(MigrateType.Unmovable, big.PageblockType(0));   // 17 free + 0 LRU pages < 256: not claimed

        // Order 3 cannot: find_smallest takes the order-0 block alone and the order-3 one stays Unmovable.
        var small = TestAllocators.Empty(kernel: KernelProfile.Linux61);
        small.SetPageblockType(0, MigrateType.Unmovable);
        small.FreeOnePageCore(16, 0, 3, MigrateType.Unmovable, FpiFlags.None);
        small.FreeOnePageCore(100, 0, 0, MigrateType.Unmovable, FpiFlags.None);

        Assert.Equal(100, small.RmqueueBuddy(0, 0, MigrateType.Movable, AllocFlags.None));
        Assert.Equal([16], TestAllocators.FreeList(small, 3, MigrateType.Unmovable));
        Assert.Empty(TestAllocators.FreeList(small, 3, MigrateType.Movable));
    }
}
