using EcsMm.Bench;

namespace EcsMm.Tests.Bench;

/// <summary>
/// munmap frees a mapping's folios in virtual address order: zap_pte_range / zap_huge_pmd walk the range upwards and
/// gather the folios in an mmu_gather batch, which free_pages_and_swap_cache frees in batch order. The real 6.1
/// capture shows it (alloc_once's 31 THPs are freed in the order MADV_POPULATE_WRITE faulted them).
/// </summary>
public sealed class MunmapOrderTests
{
    private static List<int> FreeRequestOrder(SeedGuest g)
    {
        var req = g.Guest.FreeRequests;
        var list = new List<int>();
        for (var row = 0; row < req.Table.Count; row++)
        {
            list.Add(req.Pfn.Data[row]);
        }

        return list;
    }

    private static List<int> FolioHeadsInAddressOrder(SeedGuest g, EcsMm.Ecs.Entity vma, int pagesPerFolio)
    {
        var heads = new List<int>();
        for (long i = 0; i < g.Memory.MappedPages(vma); i += pagesPerFolio)
        {
            heads.Add(g.Memory.MappedPfn(vma, i));
        }

        return heads;
    }

    [Fact]
    public void MunmapFreesThpsInAddressOrder__zap_huge_pmd_free_pages_and_swap_cache()
    {
        var g = FaultRig.Small();
        var process = g.Memory.CreateProcess();
        var vma = g.Memory.Mmap(process, 16 << 20);
        g.Memory.MadvisePopulateWrite(vma);
        var expected = FolioHeadsInAddressOrder(g, vma, 512);
        Assert.Equal(8, expected.Distinct().Count());

        g.Memory.Munmap(vma);
        Assert.Equal(expected, FreeRequestOrder(g));
    }

    [Fact]
    public void MunmapFreesInAddressOrderEvenWhenTheFaultsCameInAnotherOrder__zap_pte_range()
    {
        var g = FaultRig.Small(thp: EcsMm.Mm.ThpEnabled.Never);
        var process = g.Memory.CreateProcess();
        var vma = g.Memory.Mmap(process, 64 << 12);
        for (long i = 63; i >= 0; i--)
        {
            Assert.True(g.Memory.HandleMmFault(vma, i));
        }

        var expected = FolioHeadsInAddressOrder(g, vma, 1);
        g.Memory.Munmap(vma);
        Assert.Equal(expected, FreeRequestOrder(g));
    }

    [Fact]
    public void ExitUnmapsTheProcesssMappingsFromTheLowestAddressUp__exit_mmap_unmap_vmas()
    {
        var g = FaultRig.Small();
        var process = g.Memory.CreateProcess();
        var first = g.Memory.Mmap(process, 4 << 20);    // top-down: the first mapping is the highest
        var second = g.Memory.Mmap(process, 4 << 20);
        g.Memory.MadvisePopulateWrite(first);
        g.Memory.MadvisePopulateWrite(second);
        var expected = FolioHeadsInAddressOrder(g, second, 512).Concat(FolioHeadsInAddressOrder(g, first, 512)).ToList();

        g.Memory.ExitProcess(process);
        Assert.Equal(expected, FreeRequestOrder(g));
    }

    [Fact]
    public void Linux61ReleasesEachGatherBatchsSmallPagesInReverse__release_pages_tlb_batch_pages_flush()
    {
        // 16,384 order-0 pages: the gather takes 8, then 19 batches of 510 (9,698 entries), is flushed, and starts
        // again at its 8-entry batch; release_pages() list_adds the small pages, so each batch comes back reversed.
        // The real 6.1 capture shows it: a THP-never alloc_once frees pages ...24..17, 534..25, 1044..535, ...
        var g = FaultRig.Small(thp: EcsMm.Mm.ThpEnabled.Never, kernel: "6.1", guestMiB: 256);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 64 << 20);
        g.Memory.MadvisePopulateWrite(vma);
        var byAddress = FolioHeadsInAddressOrder(g, vma, 1);
        Assert.Equal(16384, byAddress.Count);

        g.Memory.Munmap(vma);
        var freed = FreeRequestOrder(g);

        List<int> Reversed(int from, int count) => Enumerable.Range(from, count).Reverse().Select(i => byAddress[i]).ToList();
        Assert.Equal(Reversed(0, 8), freed.GetRange(0, 8));
        Assert.Equal(Reversed(8, 510), freed.GetRange(8, 510));
        Assert.Equal(Reversed(518, 510), freed.GetRange(518, 510));
        Assert.Equal(Reversed(9698, 8), freed.GetRange(9698, 8));         // after the first flush
        Assert.Equal(Reversed(9706, 510), freed.GetRange(9706, 510));
        Assert.Equal(byAddress.Order(), freed.Order());                   // every page once
    }

    [Fact]
    public void Linux61FreesABatchsThpsInOrderBeforeItsSmallPages__release_pages()
    {
        // 6.1 places this mapping unaligned: order-0 pages, then THPs, then order-0 pages. A batch that holds both
        // frees its THPs as release_pages meets them (__folio_put_large) and its small pages at the end, reversed.
        var g = FaultRig.Small(kernel: "6.1", placement: EcsMm.Mm.MappingPlacement.Unaligned, guestMiB: 256);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 16 << 20);
        g.Memory.MadvisePopulateWrite(vma);
        var t = g.Memory.Tables;
        var entries = new List<(long Index, int Pfn, bool Thp)>();
        for (var row = 0; row < t.Folios.Count; row++)
        {
            if (t.FolioOwner.Data[row] == vma)
            {
                entries.Add((t.FolioIndex.Data[row], t.FolioPfn.Data[row], t.FolioOrder.Data[row] == 9));
            }
        }

        entries.Sort((a, b) => a.Index.CompareTo(b.Index));
        Assert.Contains(entries, e => e.Thp);
        Assert.Contains(entries, e => !e.Thp);
        g.Memory.Munmap(vma);
        var freed = FreeRequestOrder(g);

        var expected = new List<int>();
        var batch = 8;
        for (var start = 0; start < entries.Count; start += batch, batch = 510)
        {
            var slice = entries.Skip(start).Take(batch).ToList();
            expected.AddRange(slice.Where(e => e.Thp).Select(e => e.Pfn));
            expected.AddRange(slice.Where(e => !e.Thp).Select(e => e.Pfn).Reverse());
        }

        Assert.Equal(expected, freed);
    }

    [Fact]
    public void Linux61ExitGathersAllMappingsInOneMmuGather_SoABatchSpansTwoVmas__exit_mmap_unmap_vmas()
    {
        var g = FaultRig.Small(thp: EcsMm.Mm.ThpEnabled.Never, kernel: "6.1", guestMiB: 256);
        var process = g.Memory.CreateProcess();
        var high = g.Memory.Mmap(process, 5 << 12);   // top-down: the first mapping is the higher one
        var low = g.Memory.Mmap(process, 5 << 12);
        g.Memory.MadvisePopulateWrite(high);
        g.Memory.MadvisePopulateWrite(low);
        var entries = FolioHeadsInAddressOrder(g, low, 1).Concat(FolioHeadsInAddressOrder(g, high, 1)).ToList();

        g.Memory.ExitProcess(process);

        // One gather: the first batch holds 8 entries, the low mapping's 5 and the high one's first 3, freed in
        // reverse (release_pages); the second batch the last 2.
        int[] expected = [7, 6, 5, 4, 3, 2, 1, 0, 9, 8];
        Assert.Equal(expected.Select(i => entries[i]).ToList(), FreeRequestOrder(g));
    }

    [Fact]
    public void ExitUnmapsExactlyTheProcesssRemainingMappings__exit_mmap()
    {
        var g = FaultRig.Small(thp: EcsMm.Mm.ThpEnabled.Never);
        var m = g.Memory;
        var mine = m.CreateProcess();
        var other = m.CreateProcess();
        var a = m.Mmap(mine, 4 << 12);
        var theirs = m.Mmap(other, 4 << 12);
        var b = m.Mmap(mine, 4 << 12);
        var c = m.Mmap(mine, 4 << 12);
        foreach (var v in new[] { a, theirs, b, c })
        {
            m.MadvisePopulateWrite(v);
        }

        m.Munmap(b);   // off the middle of the process's chain
        g.Step();
        var expected = FolioHeadsInAddressOrder(g, c, 1).Concat(FolioHeadsInAddressOrder(g, a, 1)).ToList();

        m.ExitProcess(mine);

        Assert.Equal(expected, FreeRequestOrder(g));      // c is below a: address order
        Assert.Equal(1, m.Tables.Vmas.Count);              // only the other process's mapping is left
        Assert.Equal(4, m.MappedPages(theirs));
    }
}
