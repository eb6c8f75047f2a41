using EcsMm.Mm;
using EcsMm.Tests.Mm;
using EcsMm.Truth;

namespace EcsMm.Tests.Truth;

/// <summary>The invariant checker finds each kind of broken state.</summary>
public sealed class InvariantCheckerTests
{
    [Fact]
    public void ABootedAllocatorIsConsistent()
    {
        var a = TestAllocators.SingleZone(mib: 64);
        Assert.Empty(new InvariantChecker(a).Check());
    }

    [Fact]
    public void FindsAnNrFreeThatDisagreesWithTheLists()
    {
        var a = TestAllocators.SingleZone();
        a.NrFree[10]++;
        Assert.Contains(new InvariantChecker(a).Check(), v => v.Contains("nr_free"));
    }

    [Fact]
    public void FindsAPageInTwoFreeBlocks()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.AddToFreeList(4, 0, 0, MigrateType.Movable, tail: false);   // page 4 is inside [0, 8) already
        a.Zones[0].FreePages += 1;
        Assert.Contains(new InvariantChecker(a).Check(), v => v.Contains("two free blocks"));
    }

    [Fact]
    public void FindsABrokenListLink()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 0, MigrateType.Movable, FpiFlags.None);
        a.FreeOnePageCore(8, 0, 0, MigrateType.Movable, FpiFlags.None);
        a.Map.Prev[0] = 77;
        Assert.Contains(new InvariantChecker(a).Check(), v => v.Contains("prev"));
    }

    [Fact]
    public void FindsAPageBuddyThatIsOnNoList()
    {
        var a = TestAllocators.Empty();
        a.Map.SetPageType(12, PageType.Buddy);
        Assert.Contains(new InvariantChecker(a).Check(), v => v.Contains("on no list"));
    }

    [Fact]
    public void FindsAFlagOnAnInteriorFreePage()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.Map.SetPageDirtyNonAtomic(5);
        Assert.Contains(new InvariantChecker(a).Check(), v => v.Contains("inside a free block has flags"));
    }

    [Fact]
    public void FindsAFreeBlockOnAListOfAnotherTypeThanItsPageblockInMainline()
    {
        var a = TestAllocators.Empty();
        a.FreeOnePageCore(0, 0, 3, MigrateType.Movable, FpiFlags.None);
        a.SetPageblockType(0, MigrateType.Unmovable);
        Assert.Contains(new InvariantChecker(a).Check(), v => v.Contains("pageblock is Unmovable"));
    }

    [Fact]
    public void FindsAPcpCountThatDisagreesWithItsLists()
    {
        var a = TestAllocators.SingleZone();
        a.AllocPages(Gfp.HighUserMovable, 0);
        a.Pcp.Count[0] += 3;
        Assert.Contains(new InvariantChecker(a).Check(), v => v.Contains("pcp of cpu 0"));
    }

    [Fact]
    public void FindsAZoneFreePageCountThatDisagreesWithTheLists()
    {
        var a = TestAllocators.SingleZone();
        a.Zones[0].FreePages -= 1;
        Assert.Contains(new InvariantChecker(a).Check(), v => v.Contains("NR_FREE_PAGES"));
    }
}
