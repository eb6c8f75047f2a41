using EcsMm.Mm;
using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

/// <summary>
/// Ground truth for the order an unmap frees small pages in on 6.1: the capture's THP-never alloc_once runs
/// (16,384 order-0 pages each) free their mapping exactly in <see cref="MmuGather.ReleasePagesOrder61"/>'s order.
/// </summary>
public sealed class ReleasePagesOrderTests
{
    [Fact]
    public void TheCapturesUnmapsFreeEachGatherBatchReversed__release_pages_tlb_batch_pages_flush()
    {
        var trace = TraceEvents.Load(TraceData.TracePath);

        // Per process: the position (in its own allocation order) of each page it frees through free_unref_page_list.
        var allocated = new Dictionary<int, Dictionary<long, int>>();
        var allocations = new Dictionary<int, int>();
        var freed = new Dictionary<int, List<int>>();
        foreach (var e in trace.Events)
        {
            if (e.Kind == TraceEventKind.PageAlloc && e.Order == 0)
            {
                var mine = allocated.TryGetValue(e.Pid, out var m) ? m : allocated[e.Pid] = [];
                var n = allocations.GetValueOrDefault(e.Pid);
                mine[e.Pfn] = n;
                allocations[e.Pid] = n + 1;
            }
            else if (e.Kind == TraceEventKind.PageFreeBatched && allocated.TryGetValue(e.Pid, out var mine) && mine.TryGetValue(e.Pfn, out var position))
            {
                (freed.TryGetValue(e.Pid, out var list) ? list : freed[e.Pid] = []).Add(position);
            }
        }

        var checkedRuns = 0;
        foreach (var (_, positions) in freed.Where(kv => kv.Value.Count > 10_000))
        {
            var run = MunmapRun(positions);
            var ranks = Ranks(run);
            var expected = new int[ranks.Length];
            MmuGather.ReleasePagesOrder61(new bool[ranks.Length], expected);
            Assert.Equal(expected, ranks);
            Assert.True(ranks.Length > MmuGather.Capacity, "the run crosses a gather flush, so the flush is checked too");
            checkedRuns++;
        }

        Assert.True(checkedRuns >= 3, $"{checkedRuns} THP-never alloc_once runs found");
    }

    /// <summary>
    /// The munmap's frees: from the first 8-entry batch (eight consecutive positions, descending, then a higher one)
    /// to the first free of a page allocated before the mapping's first page.
    /// </summary>
    private static List<int> MunmapRun(List<int> positions)
    {
        for (var i = 0; i + MmuGather.Bundle < positions.Count; i++)
        {
            var p = positions[i];
            if (Enumerable.Range(0, MmuGather.Bundle).All(k => positions[i + k] == p - k) && positions[i + MmuGather.Bundle] > p)
            {
                var first = p - (MmuGather.Bundle - 1);
                return positions.Skip(i).TakeWhile(q => q >= first).ToList();
            }
        }

        throw new InvalidOperationException("no 8-page gather batch in this process's frees");
    }

    /// <summary>Each position replaced by its rank among the run's positions (page tables allocated between data pages drop out).</summary>
    private static int[] Ranks(List<int> run)
    {
        var sorted = run.Order().ToList();
        var rank = new Dictionary<int, int>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            rank[sorted[i]] = i;
        }

        return run.Select(p => rank[p]).ToArray();
    }
}
