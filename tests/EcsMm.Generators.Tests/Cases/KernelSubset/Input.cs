using EcsMm.Ecs;

namespace Sample.Mm;

/// <summary>A small mem_map: one flag word per page, the page type in the high bits.</summary>
public sealed class Pages(int count)
{
    public const int TypeShift = 28;

    public readonly uint[] Flags = new uint[count];

    /// <summary>Type 1: buddy block head, 2: isolated block head, 3: pcp page.</summary>
    public bool IsFreeBlockHead(int pfn) => (Flags[pfn] >> TypeShift) is 1 or 2;

    public bool IsFreePage(int pfn) => (Flags[pfn] >> TypeShift) is 1 or 2 or 3;
}

/// <summary>A subset of enum pageflags with the two aliases of the seed series.</summary>
[PageFlags(typeof(Pages), nameof(Pages.Flags), StorageBits = 22, AccessorClass = "SampleFlagAccessors")]
public enum SampleFlag
{
    [FlagOps(FlagOps.All), InMask("CheckAtFree"), InMask("CheckAtPrep")]
    Locked = 0,
    [FlagOps(FlagOps.PageFlag), InMask("CheckAtPrep")]
    Uptodate = 3,
    [FlagOps(FlagOps.PageFlagNonAtomic), InMask("CheckAtFree"), InMask("CheckAtPrep"), InMask("PrivateFlags")]
    Private = 14,
    [FlagOps(FlagOps.TestSetClear)]
    HwPoison = 21,
    [FlagAlias(nameof(Uptodate), ValidWhen = nameof(Pages.IsFreeBlockHead)), FlagOps(FlagOps.PageFlagNonAtomic)]
    Reported = Uptodate,
    [FlagAlias(nameof(Private), ValidWhen = nameof(Pages.IsFreePage)), FlagOps(FlagOps.PageFlagNonAtomic | FlagOps.TestAndClear), ExcludeFromMask("CheckAtPrep")]
    Zeroed = Private,
}
