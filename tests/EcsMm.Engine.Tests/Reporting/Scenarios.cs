using EcsMm.Mm;

namespace EcsMm.Tests.Reporting;

/// <summary>Small workloads shared by the oracle and planted-bug tests.</summary>
internal static class Scenarios
{
    /// <summary>
    /// Take every block of <paramref name="order"/> the allocator gives (no zeroing asked), write data to each, then
    /// free every other one (so the freed blocks cannot merge) — or all of them. Pcp lists are drained at the end.
    /// </summary>
    public static List<int> DirtyAndFree(ReportingRig rig, int order, bool everyOther)
    {
        var taken = new List<int>();
        while (true)
        {
            var r = rig.Alloc.AllocPages(Gfp.HighUserMovable, order);
            if (!r.Success)
            {
                break;
            }

            rig.Memory.Write(r.Pfn, 1 << order);
            taken.Add(r.Pfn);
        }

        taken.Sort();
        var kept = new List<int>();
        foreach (var pfn in taken)
        {
            if (everyOther && ((pfn >> order) & 1) == 1)
            {
                kept.Add(pfn);
                continue;
            }

            rig.Alloc.FreePages(pfn, order);
        }

        rig.Alloc.DrainAllPages();
        return kept;
    }

    /// <summary>Allocate with __GFP_ZERO at <paramref name="order"/> until the allocator says no; returns how many blocks.</summary>
    public static int AllocateAllZeroed(ReportingRig rig, int order)
    {
        var n = 0;
        while (rig.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, order).Success)
        {
            n++;
        }

        return n;
    }
}
