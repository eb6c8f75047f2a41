using EcsMm.Ecs;
using EcsMm.Truth;

namespace EcsMm.Mm;

/// <summary>hugetlb_fault → hugetlb_no_page (mm/hugetlb.c) for MAP_HUGETLB and memfd (hugetlbfs) mappings.</summary>
public sealed partial class Memory
{
    /// <summary>
    /// hugetlb_no_page(): for a private MAP_HUGETLB mapping, alloc_hugetlb_folio() (pool first, then surplus from
    /// buddy) and folio_zero_user() unless the folio came with the zeroed hint (patches 8, 9); for a memfd mapping,
    /// the file's page cache is looked up first and a missing folio is allocated, zeroed and added to the file.
    /// </summary>
    private bool HugetlbFault(Entity vma, long index)
    {
        const int order = Hugetlb.Order;
        var aligned = index & ~((1L << order) - 1);
        var kind = (VmaKind)Tables.Vmas.Get(Tables.VmaKind, vma);
        if (kind == VmaKind.MemfdHugetlb)
        {
            var file = MemfdOf(Tables.Vmas.Get(Tables.VmaFile, vma));
            var cached = file.FolioAt(aligned);
            if (cached < 0)
            {
                if (!AllocHugetlbFolio(ZeroingPath.Hugetlb, out var r, out _))
                {
                    return false;
                }

                file.Add(this, aligned, r.Pfn);
                cached = r.Pfn;
            }

            var ptes = PtesOf(vma);
            for (var i = 0; i < 1 << order; i++)
            {
                ptes[aligned + i] = cached + i;
            }

            Stats.Faults[(int)FaultKind.Hugetlb]++;
            return true;
        }

        if (!AllocHugetlbFolio(ZeroingPath.Hugetlb, out var folio, out _))
        {
            return false;
        }

        MapFolio(vma, aligned, folio.Pfn, order, FolioKind.Hugetlb);
        Stats.Faults[(int)FaultKind.Hugetlb]++;
        return true;
    }

    /// <summary>alloc_hugetlb_folio() and the caller's zeroing on <paramref name="path"/> (always done unless hinted).</summary>
    internal bool AllocHugetlbFolio(ZeroingPath path, out AllocResult r, out bool surplus)
    {
        Probe.Arm();
        r = Hugetlb.AllocFolio(out surplus);
        if (!r.Success)
        {
            Probe.Disarm();
            Stats.Failures++;
            return false;
        }

        if (surplus)
        {
            Stats.RecordAllocation(r.Order, Probe.MeasureIfPending(r.Pfn, r.Order), r.Hint == PageHint.Zeroed);
        }

        Probe.Disarm();

        CallerZero(r, path);
        return true;
    }
}
