using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>Boot: memblock_free_all() hands the non-reserved memory to buddy (mm/memblock.c, mm/page_alloc.c).</summary>
public sealed class BootTests
{
    private static PageAlloc Boot(params PfnRange[] reserved)
    {
        var config = MemoryConfig.SingleZone(16L << 20) with { Reserved = reserved, PcpHigh = 64, PcpBatch = 8 };
        var a = new PageAlloc(new MemMap(config.PageCount), config) { Validate = true };
        a.Boot();
        return a;
    }

    [Fact]
    public void AnUnalignedRangeIsFreedInTheLargestNaturallyAlignedBlocks__free_pages_memory()
    {
        var a = Boot(new PfnRange(0, 3));

        // [3, 4096): 3 (order 0), 4 (order 2), 8 (3), ..., 512 (9), then order-10 blocks; none can merge with a
        // reserved buddy.
        Assert.Equal([1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 3], TestAllocators.BuddyInfo(a));
        Assert.Equal([3], TestAllocators.FreeList(a, 0, MigrateType.Movable));
        Assert.Equal([512], TestAllocators.FreeList(a, 9, MigrateType.Movable));
        Assert.Equal(4096 - 3, a.Zones[0].FreePages);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void BootFreesEachBlockToTheListTailSoTheListRunsInAscendingPfnOrder__free_pages_core_free_pages_ok()
    {
        var a = Boot();

        // __free_pages_core() → __free_pages_ok(FPI_TO_TAIL) in ascending PFN order: the first block freed is the
        // first one handed out. (Freeing to the head would give 3072, 2048, 1024, 0.)
        Assert.Equal([0, 1024, 2048, 3072], TestAllocators.FreeList(a, 10, MigrateType.Movable));
        Assert.Equal(0, a.RmqueueBuddy(0, 10, MigrateType.Movable, AllocFlags.None));
    }

    [Fact]
    public void ReservedRangesStayPageReservedAndNeverReachBuddy__memblock_free_all()
    {
        var a = Boot(new PfnRange(1024, 1536));

        for (var p = 1024; p < 1536; p++)
        {
            Assert.Equal(PageType.Reserved, a.Map.GetPageType(p));
        }

        Assert.Equal(4096 - 512, a.Zones[0].FreePages);
        Assert.Equal(4096 - 512, a.Zones[0].ManagedPages);
        // 0 and 1536..2047 cannot merge across the reserved pageblock: [0, 1024) stays one block, [1536, 2048) is
        // order 9, then two order-10 blocks.
        Assert.Equal([0, 2048, 3072], TestAllocators.FreeList(a, 10, MigrateType.Movable));
        Assert.Equal([1536], TestAllocators.FreeList(a, 9, MigrateType.Movable));
        TestAllocators.AssertConsistent(a);
    }
}
