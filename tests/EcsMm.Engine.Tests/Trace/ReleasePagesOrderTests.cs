using EcsMm.Mm;
using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

/// <summary>
/// Ground truth for the order an unmap frees pages in on 6.1: the capture's alloc_once runs (THP-never: 16,384
/// order-0 pages; THP: 31 THPs and 512 order-0 pages, the mapping unaligned) free their mapping exactly in
/// <see cref="MmuGather.ReleasePagesOrder61"/>'s order.
/// </summary>
public sealed class ReleasePagesOrderTests
{
    [Fact]
    public void TheCapturesUnmapsFreeEachGatherBatchsThpsInOrderAndItsSmallPagesReversed__release_pages_tlb_batch_pages_flush()
    {
        var trace = TraceEvents.Load(TraceData.TracePath);

        // Per process: for each page or THP it frees (small pages through free_unref_page_list, THPs through
        // __folio_put_large), its position in the process's own allocation order, and whether it is a THP.
        var allocated = new Dictionary<int, Dictionary<long, int>>();
        var allocations = new Dictionary<int, int>();
        var freed = new Dictionary<int, List<(int Position, bool Large)>>();
        foreach (var e in trace.Events)
        {
            if (e.Kind == TraceEventKind.PageAlloc)
            {
                var mine = allocated.TryGetValue(e.Pid, out var m) ? m : allocated[e.Pid] = [];
                var n = allocations.GetValueOrDefault(e.Pid);
                mine[e.Pfn] = n;
                allocations[e.Pid] = n + 1;
            }
            else if ((e.Kind == TraceEventKind.PageFreeBatched || (e.Kind == TraceEventKind.PageFree && e.Order == 9))
                && allocated.TryGetValue(e.Pid, out var mine) && mine.TryGetValue(e.Pfn, out var position))
            {
                (freed.TryGetValue(e.Pid, out var list) ? list : freed[e.Pid] = []).Add((position, e.Order == 9));
            }
        }

        int thpRuns = 0, smallRuns = 0;
        foreach (var (_, entries) in freed.Where(kv => kv.Value.Count > 500))
        {
            var run = MunmapRun(entries);
            var byAddress = run.OrderBy(x => x.Position).ToList();
            var rank = new Dictionary<int, int>(byAddress.Count);
            for (var i = 0; i < byAddress.Count; i++)
            {
                rank[byAddress[i].Position] = i;
            }

            var expected = new int[run.Count];
            MmuGather.ReleasePagesOrder61(byAddress.Select(x => x.Large).ToArray(), expected);
            Assert.Equal(expected, run.Select(x => rank[x.Position]).ToArray());
            if (run.Any(x => x.Large))
            {
                thpRuns++;
            }
            else
            {
                Assert.True(run.Count > MmuGather.Capacity, "the run crosses a gather flush, so the flush is checked too");
                smallRuns++;
            }
        }

        Assert.True(smallRuns >= 3 && thpRuns >= 3, $"{smallRuns} THP-never and {thpRuns} THP alloc_once unmaps found");
    }

    /// <summary>
    /// The munmap's frees: from the first 8-entry batch (eight small pages at consecutive positions, descending, then
    /// a higher one) to the first free of a page allocated before the mapping's first page.
    /// </summary>
    private static List<(int Position, bool Large)> MunmapRun(List<(int Position, bool Large)> entries)
    {
        for (var i = 0; i + MmuGather.Bundle < entries.Count; i++)
        {
            var p = entries[i].Position;
            if (Enumerable.Range(0, MmuGather.Bundle).All(k => entries[i + k].Position == p - k && !entries[i + k].Large)
                && entries[i + MmuGather.Bundle].Position > p)
            {
                var first = p - (MmuGather.Bundle - 1);
                return entries.Skip(i).TakeWhile(x => x.Position >= first).ToList();
            }
        }

        throw new InvalidOperationException("no 8-page gather batch in this process's frees");
    }
}
