using EcsMm.Bench;
using EcsMm.Mm;
using EcsMm.Mm.Systems;
using EcsMm.Truth;

namespace EcsMm.Tests.Bench;

/// <summary>Anonymous fault paths: placement, THP PMD with fallback, mTHP, order 0, and the hinted skips.</summary>
public sealed class FaultPathTests
{
    [Fact]
    public void UnalignedMapping_Of64MiB_Gets31ThpsAnd512SmallPages__get_unmapped_area_61()
    {
        var g = FaultRig.Small(placement: MappingPlacement.Unaligned, kernel: "6.1");
        var p = g.Memory.CreateProcess();
        var vma = g.Memory.Mmap(p, 64L << 20);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(31, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
        Assert.Equal(512, g.Memory.Stats.Faults[(int)FaultKind.Order0]);
        Assert.Equal(16384, g.Memory.MappedPages(vma));
    }

    [Fact]
    public void AlignedMapping_Of64MiB_Gets32Thps__thp_get_unmapped_area()
    {
        var g = FaultRig.Small();
        var p = g.Memory.CreateProcess();
        var vma = g.Memory.Mmap(p, 64L << 20);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(32, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
        Assert.Equal(0, g.Memory.Stats.Faults[(int)FaultKind.Order0]);
    }

    [Fact]
    public void DefaultPlacement_IsUnalignedFor61_AlignedForMainline()
    {
        Assert.Equal(MappingPlacement.Unaligned, FaultConfig.DefaultPlacement(KernelProfile.Linux61));
        Assert.Equal(MappingPlacement.Aligned2M, FaultConfig.DefaultPlacement(KernelProfile.Mainline));
    }

    [Fact]
    public void ThpWithoutFreeOrder9Block_FallsBackTo512PteFaults__do_huge_pmd_anonymous_page()
    {
        var g = FaultRig.Small(guestMiB: 64);
        var alloc = g.Guest.Alloc;
        // Take every order-9 or larger block, then give back only order-0 pages of one block (one page kept).
        var held = new List<int>();
        while (alloc.AllocPages(Gfp.HighUserMovable | Gfp.NoWarn, 9) is { Success: true } r)
        {
            held.Add(r.Pfn);
        }

        var victim = held[^1];
        held.RemoveAt(held.Count - 1);
        alloc.FreePages(victim, 9);
        var pin = alloc.AllocPages(Gfp.Kernel, 0);
        Assert.True(pin.Success);
        var p = g.Memory.CreateProcess();
        var vma = g.Memory.Mmap(p, 2L << 20);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(1, g.Memory.Stats.ThpFallbacks);
        Assert.Equal(0, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
        Assert.Equal(512, g.Memory.Stats.Faults[(int)FaultKind.Order0]);
    }

    [Fact]
    public void ThpNever_FaultsOrder0Only_ThroughTheAnonymousPageFault__do_anonymous_page()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Never);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 4L << 20);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(1024, g.Memory.Stats.Faults[(int)FaultKind.Order0]);
        Assert.Equal(0, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
    }

    [Fact]
    public void ThpMadvise_OnlyMadvisedVmaGetsThp__thp_vma_allowable_order()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Madvise);
        var p = g.Memory.CreateProcess();
        var plain = g.Memory.Mmap(p, 2L << 20);
        var madvised = g.Memory.Mmap(p, 2L << 20);
        g.Memory.MadviseHugepage(madvised);
        g.Memory.MadvisePopulateWrite(plain);
        g.Memory.MadvisePopulateWrite(madvised);
        Assert.Equal(1, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
        Assert.Equal(512, g.Memory.Stats.Faults[(int)FaultKind.Order0]);
    }

    [Fact]
    public void Mthp_AllowedOrderUsed_ZeroedByFolioZeroUser__alloc_anon_folio()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Never, mthp: 1 << 4, hostZeroes: false);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 2L << 20);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(32, g.Memory.Stats.Faults[(int)FaultKind.Mthp]);
        Assert.Equal(0, g.Memory.Stats.Faults[(int)FaultKind.Order0]);
        Assert.Equal(512, g.Oracle.PagesZeroed[(int)ZeroingPath.FolioZeroUser]);
    }

    [Fact]
    public void ThpFromReportedZeroedBlock_SkipsFolioZeroUser_AndPageStaysUnbacked__vma_alloc_anon_folio_pmd()
    {
        var g = FaultRig.Small();
        g.Reporting.Flush(0);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 2L << 20);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(512, g.Oracle.PagesSkipped[(int)ZeroingPath.FolioZeroUser]);
        Assert.Equal(0, g.Oracle.Corruptions);
        Assert.Equal(0, g.Host.Stats.Refaults);
        g.Memory.Write(vma, 0, 512, 64);
        Assert.Equal(8, g.Host.Stats.Refaults);
    }

    [Fact]
    public void Order0FromReportedZeroedPage_SkipsInPostAllocHook__vma_alloc_zeroed_movable_folio()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Never);
        g.Reporting.Flush(0);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 1L << 20);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.True(g.Oracle.PagesSkipped[(int)ZeroingPath.PostAllocHook] > 0);
        Assert.Equal(g.Memory.Stats.Hinted[0], g.Oracle.PagesSkipped[(int)ZeroingPath.PostAllocHook]);
        Assert.Equal(0, g.Oracle.Corruptions);
    }

    [Fact]
    public void Munmap_FreesAnonFolios_InTheFreesPhase__free_pages_and_swap_cache()
    {
        var g = FaultRig.Small();
        var free = g.Guest.Alloc.Stats.PgFree;
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 4L << 20);
        g.Memory.MadvisePopulateWrite(vma);
        g.Memory.Munmap(vma);
        Assert.Equal(0, g.Memory.Tables.Folios.Count);
        Assert.Equal(free, g.Guest.Alloc.Stats.PgFree);
        g.Step();
        Assert.Equal(free + 1024, g.Guest.Alloc.Stats.PgFree);
    }

    private static SeedGuest Guest(ThpDefrag defrag = ThpDefrag.Madvise, bool initOnAlloc = false, MappingPlacement placement = MappingPlacement.Aligned2M) =>
        new(new SeedBenchmarkSpec
        {
            GuestMiB = 64,
            SizeMiB = 16,
            Thp = ThpEnabled.Always,
            Defrag = defrag,
            Placement = placement,
            GuestConfig = new MemoryConfig { Cpus = 1, InitOnAlloc = initOnAlloc },
            Background = EcsMm.Workloads.BackgroundWorkloadSpec.None,
            BalloonLoadedAtBoot = false,
            WarmupSteps = 0,
        }, 1, hostZeroesPages: false);

    [Theory]
    [InlineData(ThpDefrag.Always, false, Gfp.TransHuge | Gfp.NoRetry)]
    [InlineData(ThpDefrag.Always, true, Gfp.TransHuge)]
    [InlineData(ThpDefrag.Defer, false, Gfp.TransHugeLight | Gfp.KswapdReclaim)]
    [InlineData(ThpDefrag.Defer, true, Gfp.TransHugeLight | Gfp.KswapdReclaim)]
    [InlineData(ThpDefrag.DeferMadvise, false, Gfp.TransHugeLight | Gfp.KswapdReclaim)]
    [InlineData(ThpDefrag.DeferMadvise, true, Gfp.TransHugeLight | Gfp.DirectReclaim)]
    [InlineData(ThpDefrag.Madvise, false, Gfp.TransHugeLight)]
    [InlineData(ThpDefrag.Madvise, true, Gfp.TransHugeLight | Gfp.DirectReclaim)]
    [InlineData(ThpDefrag.Never, true, Gfp.TransHugeLight)]
    public void TheDefragSettingAndMadvHugepagePickTheReclaimBitsOfATHPAllocation__vma_thp_gfp_mask(ThpDefrag defrag, bool madvised, Gfp expected)
    {
        var g = Guest(defrag);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 2L << 20);
        if (madvised)
        {
            g.Memory.MadviseHugepage(vma);
        }

        var gfp = g.Memory.Huge.VmaThpGfpMask(vma);

        Assert.Equal(expected, gfp);
        Assert.Equal(MigrateType.Movable, GfpRules.MigrateTypeOf(gfp));
        Assert.True((gfp & Gfp.Comp) != 0);
    }

    [Fact]
    public void WithInitOnAllocTheAllocatorZeroesTheThpAndTheFaultDoesNotZeroItAgain__user_alloc_needs_zeroing()
    {
        foreach (var initOnAlloc in new[] { false, true })
        {
            var g = Guest(initOnAlloc: initOnAlloc);
            Assert.Equal(!initOnAlloc, g.Memory.UserAllocNeedsZeroing);
            var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 2L << 20);

            g.Memory.MadvisePopulateWrite(vma);

            Assert.Equal(1, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
            Assert.Equal(initOnAlloc ? 512 : 0, g.Oracle.PagesZeroed[(int)ZeroingPath.PostAllocHook]);
            Assert.Equal(initOnAlloc ? 0 : 512, g.Oracle.PagesZeroed[(int)ZeroingPath.FolioZeroUser]);
            Assert.Equal(0, g.Oracle.Corruptions);
        }
    }

    [Fact]
    public void AFaultWhoseAlignedHugePageLeavesTheVmaFallsBackToAPte_OneInsideGetsAThp__transhuge_vma_suitable()
    {
        var g = Guest(placement: MappingPlacement.Unaligned);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 4L << 20);
        Assert.True(g.Memory.AlignedIndex(vma, 0, 9) < 0);   // the VMA start is not 2 MiB aligned

        Assert.True(g.Memory.HandleMmFault(vma, 0));
        Assert.Equal(0, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
        Assert.Equal(1, g.Memory.MappedPages(vma));

        var inside = g.Memory.AlignedIndex(vma, 600, 9);
        Assert.InRange(inside, 1, 1024 - 512);
        Assert.True(g.Memory.HandleMmFault(vma, 600));
        Assert.Equal(1, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
        Assert.Equal(1 + 512, g.Memory.MappedPages(vma));
    }

    [Fact]
    public void OnceAPteMapsAPageInA2MiBRange_ItsOtherFaultsStayOnPtes_WhileAnEmptyRangeGetsAThp__handle_pte_fault()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Madvise);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 4L << 20);
        Assert.Equal(0, g.Memory.AlignedIndex(vma, 0, MmConstants.HpagePmdOrder));

        Assert.True(g.Memory.HandleMmFault(vma, 5));   // not madvised yet: a PTE in the first 2 MiB
        g.Memory.MadviseHugepage(vma);
        g.Memory.MadvisePopulateWrite(vma);

        // The first range's PMD holds a page table: every other fault there is a PTE fault, though order-9 blocks
        // are free; the second range's PMD was none and gets the THP.
        Assert.Equal(512, g.Memory.Stats.Faults[(int)FaultKind.Order0]);
        Assert.Equal(1, g.Memory.Stats.Faults[(int)FaultKind.Thp]);
        Assert.Equal(0, g.Memory.Stats.ThpFallbacks);
        Assert.Equal(1024, g.Memory.MappedPages(vma));
        Assert.Equal(512 + 1, g.Memory.Tables.Folios.Count);
    }

    [Fact]
    public void AThpFaultMapsOneNaturallyAlignedPhysicallyContiguousOrder9Folio__vma_alloc_folio()
    {
        var g = Guest();
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 2L << 20);

        Assert.True(g.Memory.HandleMmFault(vma, 300));

        var head = g.Memory.MappedPfn(vma, 0);
        Assert.Equal(0, head & ((1 << MmConstants.HpagePmdOrder) - 1));
        for (var i = 0; i < 512; i++)
        {
            Assert.Equal(head + i, g.Memory.MappedPfn(vma, i));
        }

        Assert.Equal(1, g.Memory.Tables.Folios.Count);
        Assert.Equal(MmConstants.HpagePmdOrder, g.Memory.Tables.Folios.Get(g.Memory.Tables.FolioOrder, g.Memory.Tables.Folios.EntityAt(0)));
        Assert.Equal(PageType.None, g.Guest.Map.GetPageType(head));
    }
}

/// <summary>Fault requests as entities, served by the Faults phase.</summary>
public sealed class FaultSystemTests
{
    [Fact]
    public void FaultRequests_AreServedInTheFaultsPhase_AndCleared()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Never);
        var p = g.Memory.CreateProcess();
        var a = g.Memory.Mmap(p, 8L << 12);
        var b = g.Memory.Mmap(p, 8L << 12);
        g.Memory.FaultRequests.Add(a, FaultRequestKind.PopulateWrite);
        g.Memory.FaultRequests.Add(b, FaultRequestKind.Write, 0, 8, 2);
        Assert.Equal(0, g.Memory.MappedPages(a));
        g.Step();
        Assert.Equal(8, g.Memory.MappedPages(a));
        Assert.Equal(4, g.Memory.MappedPages(b));
        Assert.Equal(0, g.Memory.FaultRequests.Table.Count);
        Assert.True(g.Guest.Map.ContentIsZero(g.Memory.MappedPfn(a, 0)));
        Assert.False(g.Guest.Map.ContentIsZero(g.Memory.MappedPfn(b, 2)));
    }

    [Fact]
    public void RequestOnUnmappedVma_IsDropped()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Never);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 8L << 12);
        g.Memory.FaultRequests.Add(vma, FaultRequestKind.PopulateWrite);
        g.Memory.Munmap(vma);
        g.Step();
        Assert.Equal(0, g.Memory.Stats.Faults[(int)FaultKind.Order0]);
        Assert.Equal(0, g.Memory.FaultRequests.Table.Count);
    }

    [Fact]
    public void AWriteFaultOnAPresentPteAllocatesNothing__handle_pte_fault()
    {
        foreach (var thp in new[] { ThpEnabled.Never, ThpEnabled.Always })
        {
            var g = FaultRig.Small(thp: thp);
            var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 4 << 20);
            Assert.True(g.Memory.HandleMmFault(vma, 3));
            var mapped = g.Memory.MappedPfn(vma, 3);
            var allocations = g.Guest.Alloc.Stats.AllocSuccess;

            Assert.True(g.Memory.HandleMmFault(vma, 3));   // the entry is present: only dirty and young are set

            Assert.Equal(allocations, g.Guest.Alloc.Stats.AllocSuccess);
            Assert.Equal(mapped, g.Memory.MappedPfn(vma, 3));
        }
    }

    [Fact]
    public void AFaultInsideAMappedHugePageAllocatesNothing__hugetlb_fault()
    {
        var g = FaultRig.Small();
        g.Memory.Hugetlb.NrOvercommitHugepages = 2;
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 2 << 20, hugetlb: true);
        Assert.True(g.Memory.HandleMmFault(vma, 0));
        var surplus = g.Memory.Hugetlb.SurplusHugepages;

        Assert.True(g.Memory.HandleMmFault(vma, 100));

        Assert.Equal(surplus, g.Memory.Hugetlb.SurplusHugepages);
        Assert.Equal(g.Memory.MappedPfn(vma, 0) + 100, g.Memory.MappedPfn(vma, 100));
    }
}
