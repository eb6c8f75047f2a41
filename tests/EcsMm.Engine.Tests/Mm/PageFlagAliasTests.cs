using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>
/// Aliases share a bit, as in <c>include/linux/page-flags.h</c>: <c>PG_reported = PG_uptodate</c> and (seed patch 3)
/// <c>PG_zeroed = PG_private</c>. Setting one is visible through the other; the meaning depends on the page state.
/// </summary>
public sealed class PageFlagAliasTests
{
    [Fact]
    public void ReportedIsTheUptodateBit()
    {
        Assert.Equal(PageFlagAccessors.UptodateMask, PageFlagAccessors.ReportedMask);
        Assert.Equal(1u << 3, PageFlagAccessors.ReportedMask);
    }

    [Fact]
    public void ZeroedIsThePrivateBit()
    {
        Assert.Equal(PageFlagAccessors.PrivateMask, PageFlagAccessors.ZeroedMask);
        Assert.Equal(1u << (int)PageFlag.Private, PageFlagAccessors.ZeroedMask);
    }

    [Fact]
    public void SetPageReportedOnABuddyBlockReadsBackAsUptodate()
    {
        var map = new MemMap(8);
        map.SetPageType(4, PageType.Buddy);
        map.SetPageReportedNonAtomic(4);
        Assert.True(map.PageReported(4));
        Assert.True(map.PageUptodate(4));
        map.ClearPageReportedNonAtomic(4);
        Assert.False(map.PageUptodate(4));
    }

    [Fact]
    public void SetPagePrivateOnAPcpPageReadsBackAsZeroed()
    {
        var map = new MemMap(8);
        map.SetPageType(1, PageType.Pcp);
        map.SetPagePrivate(1);
        Assert.True(map.PageZeroed(1));
        Assert.True(map.TestClearPageZeroed(1));
        Assert.False(map.PagePrivate(1));
    }

    [Fact]
    public void AliasAccessorsLeaveTheOtherFieldsOfTheWordAlone()
    {
        var map = new MemMap(8);
        map.SetPageType(2, PageType.Isolated);
        map.SetOrder(2, 9);
        map.SetPageReportedNonAtomic(2);
        Assert.Equal(PageType.Isolated, map.GetPageType(2));
        Assert.Equal(9, map.GetOrder(2));
        Assert.Equal(PageFlagAccessors.ReportedMask, map.Flags[2] & MemMap.FlagMask);
    }
}
