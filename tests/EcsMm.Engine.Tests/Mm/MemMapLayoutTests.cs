using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

public sealed class MemMapLayoutTests
{
    [Fact]
    public void PageTableCostsTwelveBytesPerPage()
    {
        var map = new MemMap(1 << 12);
        Assert.Equal(12.0, map.BytesPerPage);
    }

    [Fact]
    public void GeneratedReportedAccessorSharesTheUptodateBit()
    {
        var map = new MemMap(16);
        map.SetPageType(3, PageType.Buddy);
        map.SetPageReportedNonAtomic(3);
        Assert.True(map.PageUptodate(3));
        Assert.Equal(PageFlagAccessors.UptodateMask, PageFlagAccessors.ReportedMask);
        Assert.Equal(PageType.Buddy, map.GetPageType(3));
    }

    [Fact]
    public void CheckAtPrepExcludesZeroedButCheckAtFreeKeepsPrivate()
    {
        Assert.Equal(0u, PageFlagAccessors.CheckAtPrepMask & PageFlagAccessors.ZeroedMask);
        Assert.NotEqual(0u, PageFlagAccessors.CheckAtFreeMask & PageFlagAccessors.PrivateMask);
        Assert.Equal(0u, PageFlagAccessors.CheckAtPrepMask & PageFlagAccessors.HwPoisonMask);
    }
}
