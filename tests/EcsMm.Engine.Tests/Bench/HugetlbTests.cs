using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Tests.Bench;

/// <summary>hugetlb: persistent pool, surplus pages, fault zeroing, memfd.</summary>
public sealed class HugetlbTests
{
    [Fact]
    public void PoolFolios_NeverReturnToBuddy_AfterUnmap__free_huge_folio()
    {
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        Assert.Equal(4, h.SetNrHugepages(4));
        var free = g.Guest.Alloc.Stats.PgFree;
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 8L << 20, hugetlb: true);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(0, h.FreeHugepages);
        Assert.Equal(4, g.Memory.Stats.Faults[(int)FaultKind.Hugetlb]);
        g.Memory.Munmap(vma);
        g.Step();
        Assert.Equal(4, h.FreeHugepages);
        Assert.Equal(free, g.Guest.Alloc.Stats.PgFree);
        Assert.Equal(4, HugetlbHeads(g));
    }

    [Fact]
    public void PoolFolioFromZeroedBuddyBlock_KeepsZeroedState_OnlyForItsFirstUse__alloc_pool_huge_folio_patch9()
    {
        var g = FaultRig.Small();
        g.Reporting.Flush(0);
        var h = g.Memory.Hugetlb;
        h.SetNrHugepages(1);
        Assert.Equal(1, h.PoolFoliosZeroedOnEntry);
        var p = g.Memory.CreateProcess();
        var vma = g.Memory.Mmap(p, 2L << 20, hugetlb: true);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(512, g.Oracle.PagesSkipped[(int)ZeroingPath.Hugetlb]);
        g.Memory.Write(vma);
        g.Memory.Munmap(vma);
        var again = g.Memory.Mmap(p, 2L << 20, hugetlb: true);
        g.Memory.MadvisePopulateWrite(again);
        Assert.Equal(512, g.Oracle.PagesZeroed[(int)ZeroingPath.Hugetlb]);
        Assert.Equal(0, g.Oracle.Corruptions);
    }

    [Fact]
    public void SurplusFolios_ComeFromBuddyAtOrder9_AndGoBack__alloc_buddy_hugetlb_folio()
    {
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        h.NrOvercommitHugepages = 2;
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 6L << 20, hugetlb: true);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(2, h.SurplusHugepages);
        Assert.Equal(2, g.Memory.Stats.Allocations[9]);
        Assert.Equal(1, g.Memory.Stats.Failures);
        var free = g.Guest.Alloc.Stats.PgFree;
        g.Memory.Munmap(vma);
        Assert.Equal(0, h.SurplusHugepages);
        Assert.Equal(free + 1024, g.Guest.Alloc.Stats.PgFree);
        Assert.Equal(0, h.NrHugepages);
    }

    [Fact]
    public void MemfdPin_SkipsZeroingOnHint_AndZeroesOtherwise__memfd_alloc_folio_patch14()
    {
        var g = FaultRig.Small();
        g.Reporting.Flush(0);
        g.Memory.Hugetlb.NrOvercommitHugepages = 4;
        var file = g.Memory.MemfdCreate(4L << 20);
        Assert.Equal(2, g.Memory.MemfdPinFolios(file));
        Assert.Equal(1024, g.Oracle.PagesSkipped[(int)ZeroingPath.Memfd]);
        var vma = g.Memory.MmapMemfd(g.Memory.CreateProcess(), file);
        g.Memory.Write(vma);
        g.Memory.Munmap(vma);
        g.Memory.MemfdClose(file);
        Assert.Equal(0, g.Memory.Hugetlb.SurplusHugepages);
        g.Step();
        var file2 = g.Memory.MemfdCreate(2L << 20);
        g.Memory.MemfdPinFolios(file2);
        Assert.Equal(512, g.Oracle.PagesZeroed[(int)ZeroingPath.Memfd]);
        Assert.Equal(0, g.Oracle.Corruptions);
    }

    [Fact]
    public void TheLastFolioPutInThePoolIsTheFirstHandedOut__dequeue_hugetlb_folio_nodemask()
    {
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        h.SetNrHugepages(3);

        var a = h.AllocFolio(out _).Pfn;
        var b = h.AllocFolio(out _).Pfn;
        h.FreeFolio(a);   // enqueue_hugetlb_folio: list_move to the head of the free list
        h.FreeFolio(b);

        Assert.Equal(b, h.AllocFolio(out _).Pfn);
        Assert.Equal(a, h.AllocFolio(out _).Pfn);
    }

    [Fact]
    public void ShrinkingThePoolDissolvesOnlyFreeFoliosBackToBuddy__set_max_huge_pages_update_and_free_hugetlb_folio()
    {
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        var alloc = g.Guest.Alloc;
        Assert.Equal(4, h.SetNrHugepages(4));
        var inUse = h.AllocFolio(out _).Pfn;
        var freedBefore = alloc.Stats.PgFree;

        // The folio in use cannot be dissolved: it turns surplus (adjust_pool_surplus), so the pool is 0 already.
        Assert.Equal(0, h.SetNrHugepages(0));

        Assert.Equal(3 * 512, alloc.Stats.PgFree - freedBefore);
        Assert.Equal(0, h.FreeHugepages);
        Assert.Equal(1, h.SurplusHugepages);
        Assert.Equal(1, HugetlbHeads(g));
        Assert.Equal(PageType.Hugetlb, g.Guest.Map.GetPageType(inUse));
        g.CheckInvariants();

        // When its user frees it, it goes back to buddy, not to the pool.
        Assert.True(h.FreeFolio(inUse));
        Assert.Equal(0, h.SurplusHugepages);
        Assert.Equal(0, HugetlbHeads(g));
    }

    [Fact]
    public void GrowingThePoolTurnsSurplusFoliosInUsePersistentBeforeAllocatingNewOnes__set_max_huge_pages_adjust_pool_surplus()
    {
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        var alloc = g.Guest.Alloc;
        h.NrOvercommitHugepages = 2;
        var a = h.AllocFolio(out var surplusA).Pfn;
        var b = h.AllocFolio(out var surplusB).Pfn;
        Assert.True(surplusA && surplusB);
        var allocatedBefore = alloc.Stats.PgAlloc.Sum();

        Assert.Equal(3, h.SetNrHugepages(3));

        // Two folios in use became persistent; one fresh folio was taken from buddy.
        Assert.Equal(0, h.SurplusHugepages);
        Assert.Equal(512, alloc.Stats.PgAlloc.Sum() - allocatedBefore);
        Assert.Equal(1, h.FreeHugepages);

        // Freed, a former surplus folio now goes to the pool.
        Assert.False(h.FreeFolio(a));
        Assert.Equal(2, h.FreeHugepages);
        Assert.Equal(3, HugetlbHeads(g));
        Assert.False(h.FreeFolio(b));
    }

    [Fact]
    public void ShrinkingKeepsAsManyFoliosAsAreInUse_SurplusIncluded_AndTurnsTheRestSurplus__set_max_huge_pages()
    {
        // min_count = nr_huge_pages − free_huge_pages (surplus in use counts): free pool folios are dissolved only
        // down to it, then the pool turns surplus; the free ones left are handed out first and dissolved when freed.
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        Assert.Equal(4, h.SetNrHugepages(4));
        h.NrOvercommitHugepages = 2;
        var used = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            used.Add(h.AllocFolio(out _).Pfn);   // 4 from the pool, then 1 surplus
        }

        Assert.Equal(1, h.SurplusHugepages);
        foreach (var pfn in used.Take(3))
        {
            h.FreeFolio(pfn);   // surplus outstanding: the first goes back to buddy, the next two to the pool
        }

        Assert.Equal(0, h.SurplusHugepages);
        Assert.Equal(2, h.FreeHugepages);

        // 2 in use of 4 persistent, 2 free: count 0 → min_count 2 → 2 free dissolved, then 2 turn surplus.
        Assert.Equal(0, h.SetNrHugepages(0));
        Assert.Equal(0, h.FreeHugepages);
        Assert.Equal(2, h.SurplusHugepages);
        Assert.True(h.FreeFolio(used[3]));
        Assert.True(h.FreeFolio(used[4]));
        Assert.Equal(0, HugetlbHeads(g));
        g.CheckInvariants();
    }

    [Fact]
    public void PoolFoliosAreMovableAllocations_SoNoPageblockChangesType__htlb_alloc_mask()
    {
        var g = FaultRig.Small();
        var alloc = g.Guest.Alloc;
        var before = alloc.PageblockMigrateType.ToArray();

        g.Memory.Hugetlb.SetNrHugepages(8);

        // GFP_HIGHUSER_MOVABLE: taken from Movable pageblocks without claiming any (an unmovable mask would
        // re-type the pageblocks it takes).
        Assert.Equal(MigrateType.Movable, GfpRules.MigrateTypeOf(Hugetlb.BuddyGfp));
        Assert.Equal(before, alloc.PageblockMigrateType);
    }

    [Fact]
    public void APrivateMappingGetsOneFolioPerHugePage_AMemfdMappingUsesTheFilesFolio__hugetlb_no_page()
    {
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        h.SetNrHugepages(4);
        var p = g.Memory.CreateProcess();

        // Private MAP_HUGETLB: the first fault in a 2 MiB page maps the whole folio; the next ones find it mapped.
        var priv = g.Memory.Mmap(p, 2L << 20, hugetlb: true);
        Assert.True(g.Memory.HandleMmFault(priv, 5));
        Assert.Equal(512, g.Memory.MappedPages(priv));
        Assert.Equal(g.Memory.MappedPfn(priv, 0) + 5, g.Memory.MappedPfn(priv, 5));
        Assert.Equal(3, h.FreeHugepages);

        // memfd: the page cache is looked up first, so a second mapping maps the folio the first fault added.
        var file = g.Memory.MemfdCreate(2L << 20);
        var first = g.Memory.MmapMemfd(p, file);
        var second = g.Memory.MmapMemfd(p, file);
        Assert.True(g.Memory.HandleMmFault(first, 0));
        Assert.True(g.Memory.HandleMmFault(second, 7));
        Assert.Equal(2, h.FreeHugepages);
        Assert.Equal(file.FolioAt(0), g.Memory.MappedPfn(second, 0));
        Assert.Equal(g.Memory.MappedPfn(first, 7), g.Memory.MappedPfn(second, 7));
    }

    [Fact]
    public void UnmappingAPrivateMappingLeavesAMemfdsFoliosAlone_AndClosingFreesThemByIndex__remove_inode_hugepages()
    {
        // The first VMA and the first memfd file get equal entities from their own tables: ownership must still tell
        // them apart, or the munmap would free the file's page cache under its mappings.
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        h.SetNrHugepages(4);
        var p = g.Memory.CreateProcess();
        var priv = g.Memory.Mmap(p, 2L << 20, hugetlb: true);
        var file = g.Memory.MemfdCreate(2L << 20);
        Assert.Equal(priv, file.Entity);
        var shared = g.Memory.MmapMemfd(p, file);
        Assert.True(g.Memory.HandleMmFault(priv, 0));
        Assert.True(g.Memory.HandleMmFault(shared, 0));
        Assert.Equal(2, h.FreeHugepages);

        g.Memory.Munmap(priv);

        Assert.Equal(3, h.FreeHugepages);                    // only the private folio went back to the pool
        Assert.True(file.FolioAt(0) >= 0);
        Assert.Equal(PageType.Hugetlb, g.Guest.Map.GetPageType(file.FolioAt(0)));
        Assert.Throws<InvalidOperationException>(() => g.Memory.MemfdClose(file));   // still mapped
        g.Memory.Munmap(shared);
        g.Memory.MemfdClose(file);
        Assert.Equal(4, h.FreeHugepages);
    }

    [Fact]
    public void PinningAllocatesOnlyTheHolesOfThePageCache__memfd_pin_folios()
    {
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        h.SetNrHugepages(4);
        var file = g.Memory.MemfdCreate(6L << 20);
        var vma = g.Memory.MmapMemfd(g.Memory.CreateProcess(), file);
        g.Memory.HandleMmFault(vma, 512);   // the middle huge page is already in the page cache
        var middle = file.FolioAt(512);

        Assert.Equal(2, g.Memory.MemfdPinFolios(file));

        Assert.Equal(3, file.Folios);
        Assert.Equal(middle, file.FolioAt(512));
        Assert.True(file.FolioAt(0) >= 0 && file.FolioAt(1024) >= 0);
        Assert.Equal(1, h.FreeHugepages);
        Assert.Equal(0, g.Memory.MemfdPinFolios(file));   // nothing left to allocate
    }

    [Fact]
    public void PopulateStopsAtTheFirstFaultThatFails__faultin_page_range()
    {
        var g = FaultRig.Small();
        g.Memory.Hugetlb.SetNrHugepages(1);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 6L << 20, hugetlb: true);

        g.Memory.MadvisePopulateWrite(vma);

        // The second huge page cannot be allocated (no pool folio, no overcommit): the walk ends there, and the
        // third is never tried.
        Assert.Equal(512, g.Memory.MappedPages(vma));
        Assert.Equal(1, g.Memory.Stats.Faults[(int)FaultKind.Hugetlb]);
        Assert.Equal(1, g.Memory.Stats.Failures);
    }

    private static int HugetlbHeads(EcsMm.Bench.SeedGuest g)
    {
        var n = 0;
        for (var pfn = 0; pfn < g.Guest.Map.PageCount; pfn++)
        {
            if (g.Guest.Map.GetPageType(pfn) == PageType.Hugetlb)
            {
                n++;
            }
        }

        return n;
    }
}

/// <summary>User memory entities and the allocator's invariants together.</summary>
public sealed class UserMemoryEntityTests
{
    [Fact]
    public void ExitProcess_UnmapsEveryVma_AndTheAllocatorStaysConsistent__exit_mmap()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Always);
        g.Memory.Hugetlb.SetNrHugepages(2);
        var p = g.Memory.CreateProcess();
        var anon = g.Memory.Mmap(p, 3L << 20);
        var huge = g.Memory.Mmap(p, 4L << 20, hugetlb: true);
        g.Memory.Write(anon, 0, -1, 7);
        g.Memory.MadvisePopulateWrite(huge);
        Assert.Equal(2, g.Memory.Tables.Vmas.Count);
        Assert.True(g.Memory.Tables.Folios.Count > 2);
        g.Memory.ExitProcess(p);
        g.Step();
        Assert.Equal(0, g.Memory.Tables.Vmas.Count);
        Assert.Equal(0, g.Memory.Tables.Folios.Count);
        Assert.Equal(0, g.Memory.Tables.Processes.Count);
        Assert.Equal(2, g.Memory.Hugetlb.FreeHugepages);
        g.CheckInvariants();
        Assert.Equal(0, g.Oracle.Corruptions);
    }

    [Fact]
    public void Write_WithStride_FaultsAndWritesOnlyTouchedPages()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Never);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 64L << 12);
        Assert.Equal(8, g.Memory.Write(vma, 0, 64, 8));
        Assert.Equal(8, g.Memory.MappedPages(vma));
        Assert.False(g.Guest.Map.ContentIsZero(g.Memory.MappedPfn(vma, 8)));
        Assert.Equal(-1, g.Memory.MappedPfn(vma, 9));
    }

    [Fact]
    public void AFolioComesFromThePoolFirst_ThenAsSurplusUpToTheOvercommit_ThenFails__alloc_hugetlb_folio()
    {
        var g = FaultRig.Small();
        var h = g.Memory.Hugetlb;
        h.SetNrHugepages(1);
        h.NrOvercommitHugepages = 1;

        var pool = h.AllocFolio(out var fromSurplus);
        Assert.True(pool.Success);
        Assert.False(fromSurplus);

        var extra = h.AllocFolio(out fromSurplus);
        Assert.True(extra.Success);
        Assert.True(fromSurplus);

        Assert.False(h.AllocFolio(out _).Success); // pool empty, overcommit used up: VM_FAULT_SIGBUS at the fault
    }
    [Fact]
    public void AHugetlbMappingStartsOnA2MiBBoundaryBelowAnUnalignedBase_ItsLengthRoundedUpTo2MiB__hugetlb_get_unmapped_area()
    {
        var g = FaultRig.Small(placement: MappingPlacement.Unaligned);
        var t = g.Memory.Tables;
        g.Memory.Hugetlb.SetNrHugepages(4);
        var p = g.Memory.CreateProcess();
        var small = g.Memory.Mmap(p, 3L << 12);
        var smallStart = t.Vmas.Get(t.VmaStart, small);
        Assert.NotEqual(0, smallStart & (MmConstants.PageblockNrPages - 1));   // the mmap base is now unaligned

        var huge = g.Memory.Mmap(p, 3L << 20, hugetlb: true);

        var start = t.Vmas.Get(t.VmaStart, huge);
        var pages = t.Vmas.Get(t.VmaPages, huge);
        Assert.Equal(0, start & (MmConstants.PageblockNrPages - 1));
        Assert.Equal(1024, pages);   // 3 MiB rounded up to two huge pages
        Assert.InRange(smallStart - (start + pages), 0, MmConstants.PageblockNrPages - 1);   // the highest fit below (top-down)

        g.Memory.MadvisePopulateWrite(huge);
        Assert.Equal(2, g.Memory.Stats.Faults[(int)FaultKind.Hugetlb]);
        Assert.Equal(1024, g.Memory.MappedPages(huge));
    }
}
