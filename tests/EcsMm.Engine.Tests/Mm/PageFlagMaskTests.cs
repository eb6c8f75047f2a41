using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>
/// The named masks: <c>PAGE_FLAGS_CHECK_AT_FREE</c> (checked by <c>free_page_is_bad</c> when a page is freed) and
/// <c>PAGE_FLAGS_CHECK_AT_PREP</c> (checked by <c>check_new_page</c> when it is allocated), with seed patch 3's
/// exclusion of <c>PG_zeroed</c> from the allocation check.
/// </summary>
public sealed class PageFlagMaskTests
{
    [Fact]
    public void PageFlagsCheckAtFreeContainsPrivate()
    {
        Assert.Equal(PageFlagAccessors.PrivateMask, PageFlagAccessors.CheckAtFreeMask & PageFlagAccessors.PrivateMask);
    }

    [Fact]
    public void PageFlagsCheckAtFreeIsTheKernelList()
    {
        // PAGE_FLAGS_CHECK_AT_FREE: locked, lru, private, private_2, writeback, reserved, active, unevictable, mlocked.
        var expected = PageFlagAccessors.LockedMask | PageFlagAccessors.LruMask | PageFlagAccessors.PrivateMask
            | PageFlagAccessors.Private2Mask | PageFlagAccessors.WritebackMask | PageFlagAccessors.ReservedMask
            | PageFlagAccessors.ActiveMask | PageFlagAccessors.UnevictableMask | PageFlagAccessors.MlockedMask;
        Assert.Equal(PageFlagAccessors.CheckAtFreeMask, expected);
    }

    [Fact]
    public void PageFlagsCheckAtPrepExcludesZeroedAndThereforePrivate()
    {
        Assert.Equal(0u, PageFlagAccessors.CheckAtPrepMask & PageFlagAccessors.ZeroedMask);
        Assert.Equal(0u, PageFlagAccessors.CheckAtPrepMask & PageFlagAccessors.PrivateMask);
    }

    [Fact]
    public void PageFlagsCheckAtPrepExcludesHwPoison()
    {
        Assert.Equal(0u, PageFlagAccessors.CheckAtPrepMask & PageFlagAccessors.HwPoisonMask);
    }

    [Fact]
    public void PageFlagsCheckAtPrepIsEveryOtherFlag()
    {
        // PAGEFLAGS_MASK & ~__PG_HWPOISON, minus PG_zeroed (= PG_private).
        var expected = MemMap.FlagMask & ~PageFlagAccessors.HwPoisonMask & ~PageFlagAccessors.ZeroedMask;
        Assert.Equal(PageFlagAccessors.CheckAtPrepMask, expected);
    }

    [Fact]
    public void MasksStayInsideTheFlagBits()
    {
        // Bits 22..31 hold the ground truth, the order and the page type; no mask may reach them.
        foreach (var mask in new[] { PageFlagAccessors.CheckAtFreeMask, PageFlagAccessors.CheckAtPrepMask, PageFlagAccessors.PrivateFlagsMask })
        {
            Assert.Equal(0u, mask & ~MemMap.FlagMask);
        }
    }

    [Fact]
    public void PrivateFlagsIsPrivateAndPrivate2()
    {
        Assert.Equal(PageFlagAccessors.PrivateMask | PageFlagAccessors.Private2Mask, PageFlagAccessors.PrivateFlagsMask);
    }
}
