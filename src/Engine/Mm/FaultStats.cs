using EcsMm.Truth;

namespace EcsMm.Mm;

/// <summary>Counters of the fault paths: faults by kind, THP fallbacks, and the allocations the faults made.</summary>
public sealed class FaultStats
{
    /// <summary>Faults by <see cref="FaultKind"/>.</summary>
    public long[] Faults { get; } = new long[FaultKinds.Count];

    /// <summary>PMD faults whose order-9 allocation failed and fell back to PTE faults (THP_FAULT_FALLBACK).</summary>
    public long ThpFallbacks { get; set; }

    /// <summary>THP faults whose order-9 folio came straight off the pcp THP list.</summary>
    public long ThpFromPcp { get; set; }

    /// <summary>Of <see cref="ThpFromPcp"/>, THPs freed to the pcp list earlier and reused from it without passing through buddy (never reported).</summary>
    public long ThpRecycledViaPcp { get; set; }

    /// <summary>Of <see cref="ThpRecycledViaPcp"/>, those that came with a hint (a check: always 0, since a normal free drops PG_zeroed).</summary>
    public long ThpRecycledHinted { get; set; }

    /// <summary>THP faults whose order-9 folio came from buddy (directly or through a pcp refill).</summary>
    public long ThpFromBuddy { get; set; }

    /// <summary>mTHP allocations that failed at some order before a lower one was tried.</summary>
    public long MthpFallbacks { get; set; }

    /// <summary>Allocations made by faults (and hugetlb / memfd), by order.</summary>
    public long[] Allocations { get; } = new long[MmConstants.NrPageOrders];

    /// <summary>Of <see cref="Allocations"/>: served from reported pages (see <see cref="ReportedSourceProbe"/>), by order.</summary>
    public long[] FromReported { get; } = new long[MmConstants.NrPageOrders];

    /// <summary>Of <see cref="Allocations"/>: post_alloc_hook returned PGHINT_ZEROED, by order.</summary>
    public long[] Hinted { get; } = new long[MmConstants.NrPageOrders];

    /// <summary>Allocations that failed (hugetlb pool empty and no surplus allowed, or buddy out of memory).</summary>
    public long Failures { get; set; }

    /// <summary>Record one allocation a fault made.</summary>
    public void RecordAllocation(int order, bool fromReported, bool hinted)
    {
        Allocations[order]++;
        if (fromReported)
        {
            FromReported[order]++;
        }

        if (hinted)
        {
            Hinted[order]++;
        }
    }
}
