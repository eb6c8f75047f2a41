using EcsMm.Mm;

namespace EcsMm.Trace;

/// <summary>Free page reporting's traced kprobes applied to the model, for the replays (snapshot replay, decision agreement).</summary>
internal static class ReportingReplay
{
    /// <summary>rep_isolate: __isolate_free_page() of the free block at <paramref name="pfn"/>; false when the model has no free block of that order there.</summary>
    public static bool Isolate(PageAlloc alloc, int pfn, int order) =>
        alloc.Map.PageBuddy(pfn) && alloc.Map.GetOrder(pfn) == order && alloc.IsolateFreePage(pfn, order, checkWatermark: false);

    /// <summary>
    /// rep_putback: __putback_isolated_page() (to the list tail), then page_reporting_drain()'s PG_reported if the
    /// block did not merge on its way back; false when the block is not isolated in the model.
    /// </summary>
    public static bool Putback(PageAlloc alloc, int pfn, int order, MigrateType mt)
    {
        if (alloc.Map.GetPageType(pfn) != PageType.Isolated)
        {
            return false;
        }

        if (alloc.PutbackIsolatedPage(pfn, order, mt) == order)
        {
            alloc.Map.Flags[pfn] |= PageFlagAccessors.ReportedMask;
        }

        return true;
    }
}
