namespace EcsMm.Mm;

/// <summary>
/// The counters of one struct per_cpu_pages (one CPU, one zone), kept together so the pcp fast path touches one
/// cache line. The lists themselves live in <see cref="PerCpuPages.Lists"/>.
/// </summary>
public struct PcpState
{
    /// <summary>pcp-&gt;count: pages on all of this pcp's lists.</summary>
    public int Count;

    /// <summary>
    /// pcp-&gt;high: the count at which a free drains to buddy. Mainline auto-tunes it between <see cref="HighMin"/>
    /// and <see cref="HighMax"/> (nr_pcp_alloc raises it, nr_pcp_high and decay_pcp_high lower it); in 6.1 it is fixed.
    /// </summary>
    public int High;

    /// <summary>pcp-&gt;high_min (6.1: equal to <see cref="HighMax"/>).</summary>
    public int HighMin;

    /// <summary>pcp-&gt;high_max (equal to <see cref="HighMin"/> when auto-tuning is off).</summary>
    public int HighMax;

    /// <summary>pcp-&gt;batch.</summary>
    public int Batch;

    /// <summary>6.1: pcp-&gt;free_factor.</summary>
    public int FreeFactor;

    /// <summary>Mainline: pcp-&gt;alloc_factor.</summary>
    public int AllocFactor;

    /// <summary>Mainline: pcp-&gt;free_count.</summary>
    public int FreeCount;

    /// <summary>Mainline: PCPF_PREV_FREE_HIGH_ORDER in pcp-&gt;flags.</summary>
    public bool PrevFreeHighOrder;
}
