using EcsMm.Ecs;

namespace EcsMm.Mm;

/// <summary>MADV_POPULATE_WRITE (mm/madvise.c → faultin_page_range) and user writes with a touch pattern.</summary>
public sealed partial class Memory
{
    /// <summary>
    /// madvise(MADV_POPULATE_WRITE) over [first, first + pages) of the VMA: every page not yet mapped takes a write
    /// fault (handle_mm_fault with FAULT_FLAG_WRITE), as get_user_pages does, but nothing writes data: the pages hold
    /// whatever the fault's zeroing left (or, when the zeroing was skipped, host-zeroed unbacked memory).
    /// </summary>
    /// <returns>Faults taken (the walk stops at the first fault that fails).</returns>
    public long MadvisePopulateWrite(Entity vma, long first = 0, long pages = -1)
    {
        var ptes = PtesOf(vma);
        var end = pages < 0 ? ptes.Length : Math.Min(ptes.Length, first + pages);
        long faults = 0;
        for (var i = first; i < end; i++)
        {
            if (ptes[i] < 0)
            {
                faults++;
                if (!FaultOnNoneEntry(vma, i))
                {
                    break; // faultin_page_range stops at the first error (-ENOMEM / -EFAULT to the caller)
                }
            }
        }

        return faults;
    }

    /// <summary>
    /// The process writes data to every <paramref name="stride"/>-th page of [first, first + pages): a write fault
    /// on an unmapped page first, then a store (a guest write: the host populates a discarded page).
    /// </summary>
    /// <returns>Pages written.</returns>
    public long Write(Entity vma, long first = 0, long pages = -1, int stride = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var ptes = PtesOf(vma);
        var end = pages < 0 ? ptes.Length : Math.Min(ptes.Length, first + pages);
        long written = 0;
        for (var i = first; i < end; i += stride)
        {
            if (ptes[i] < 0 && !FaultOnNoneEntry(vma, i))
            {
                break; // SIGBUS / OOM: the process stops writing
            }

            GuestMemory.Write(ptes[i], 1);
            written++;
        }

        return written;
    }

    /// <summary>
    /// handle_mm_fault() for a write to page <paramref name="index"/> of the VMA: hugetlb VMAs go to
    /// hugetlb_fault → hugetlb_no_page; anonymous VMAs try the PMD path first (create_huge_pmd when the PMD is
    /// none and THP is allowed for the VMA) and fall back to handle_pte_fault → do_anonymous_page.
    /// A write to a page that is already mapped allocates nothing: handle_pte_fault (and hugetlb_fault for a present
    /// huge entry) only marks the entry dirty and young.
    /// </summary>
    /// <returns>False when the fault could not be served (VM_FAULT_OOM / SIGBUS).</returns>
    public bool HandleMmFault(Entity vma, long index)
    {
        var ptes = PtesOf(vma);
        return (index >= 0 && index < ptes.Length && ptes[index] >= 0) || FaultOnNoneEntry(vma, index);
    }

    /// <summary>handle_mm_fault() on an entry the caller found none (pte_none / pmd_none): the populate and write loops.</summary>
    private bool FaultOnNoneEntry(Entity vma, long index)
    {
        var kind = (VmaKind)Tables.Vmas.Get(Tables.VmaKind, vma);
        if (kind != VmaKind.Anonymous)
        {
            return HugetlbFault(vma, index);
        }

        if (Huge.ThpVmaAllowable(vma) && Huge.DoHugePmdAnonymousPage(vma, index))
        {
            return true;
        }

        return DoAnonymousPage(vma, index);
    }
}
