using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Tests.Mm;

/// <summary>Small allocators for rule tests.</summary>
internal static class TestAllocators
{
    /// <summary>One zone of <paramref name="mib"/> MiB, every page free after boot, pcp high/batch fixed.</summary>
    public static PageAlloc SingleZone(int mib = 16, KernelProfile? kernel = null, int pcpHigh = 64, int pcpBatch = 8, bool series = true)
    {
        var config = MemoryConfig.SingleZone((long)mib << 20) with
        {
            Kernel = kernel ?? KernelProfile.Mainline,
            PcpHigh = pcpHigh,
            PcpBatch = pcpBatch,
            SeriesApplied = series,
        };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config) { Validate = true };
        alloc.Boot();
        return alloc;
    }

    /// <summary>An allocator whose free lists start empty: every page allocated, ready for hand-placed frees.</summary>
    public static PageAlloc Empty(int mib = 16, KernelProfile? kernel = null, bool series = true)
    {
        var config = MemoryConfig.SingleZone((long)mib << 20) with
        {
            Kernel = kernel ?? KernelProfile.Mainline,
            PcpHigh = 64,
            PcpBatch = 8,
            SeriesApplied = series,
            Reserved = [new PfnRange(0, (int)(((long)mib << 20) >> 12))],
        };
        var alloc = new PageAlloc(new MemMap(config.PageCount), config) { Validate = true };
        alloc.Boot();

        // Turn the reserved pages into ordinary allocated pages.
        for (var p = 0; p < alloc.Map.PageCount; p++)
        {
            alloc.Map.SetPageType(p, PageType.None);
            alloc.Map.ClearPageReservedNonAtomic(p);
        }

        alloc.Zones[0].ManagedPages = alloc.Map.PageCount;
        return alloc;
    }

    /// <summary>The free list (head first) of a zone, order and type.</summary>
    public static List<int> FreeList(PageAlloc alloc, int order, MigrateType mt, int zone = 0)
    {
        var list = new List<int>();
        var id = alloc.FreeListId(zone, order, mt);
        for (var p = alloc.FreeLists.Head[id]; p >= 0; p = alloc.FreeLists.Next(p))
        {
            list.Add(p);
        }

        return list;
    }

    /// <summary>Free blocks per order summed over types (a /proc/buddyinfo line).</summary>
    public static long[] BuddyInfo(PageAlloc alloc, int zone = 0)
    {
        var counts = new long[MmConstants.NrPageOrders];
        for (var o = 0; o < counts.Length; o++)
        {
            counts[o] = alloc.FreeBlocks(zone, o);
        }

        return counts;
    }

    public static void AssertConsistent(PageAlloc alloc)
    {
        var violations = new InvariantChecker(alloc).Check();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
