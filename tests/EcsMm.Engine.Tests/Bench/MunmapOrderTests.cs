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
}
