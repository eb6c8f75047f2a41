using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>Taking a given page out of buddy: take_page_off_buddy() / break_down_buddy_pages().</summary>
public sealed class TakeBlockTests
{
    [Fact]
    public void TheOtherHalvesGoBackAtTheHeadsOfTheirLists__break_down_buddy_pages()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 3, MigrateType.Movable, FpiFlags.None);

        Assert.True(a.TakeBlock(5, 0));

        Assert.Equal([0], TestAllocators.FreeList(a, 2, MigrateType.Movable));
        Assert.Equal([6], TestAllocators.FreeList(a, 1, MigrateType.Movable));
        Assert.Equal([4], TestAllocators.FreeList(a, 0, MigrateType.Movable));
        Assert.Equal(7, a.Zones[0].FreePages);
        TestAllocators.AssertConsistent(a);
    }

    [Fact]
    public void APageThatIsNotFreeCannotBeTaken__take_page_off_buddy()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 2, MigrateType.Movable, FpiFlags.None);

        Assert.False(a.TakeBlock(4, 0));
        Assert.False(a.TakeBlock(0, 3));
        Assert.Equal(1, a.FreeBlocks(0, 2));
    }
}
