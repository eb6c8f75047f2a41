namespace EcsMm.Mm;

/// <summary>
/// Per-cpu page lists: rmqueue_bulk (refill), __rmqueue_pcplist (LIFO allocation), free_unref_page_commit
/// (LIFO free, drain when count ≥ high), free_pcppages_bulk (drain from the tails), drain_all_pages.
/// Mainline auto-tunes pcp high between high_min and high_max (nr_pcp_alloc, nr_pcp_high, decay_pcp_high); 6.1's is fixed.
/// </summary>
public sealed partial class PageAlloc
{
    /// <summary>
    /// zone_set_pageset_high_and_batch() / pageset_update(): batch from zone_batchsize(); high_min from the zone's
    /// low watermark and (mainline only) high_max from managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION (8), each by
    /// zone_highsize(); with vm.percpu_pagelist_high_fraction = N, both are managed / N. 6.1 has no auto-tuning (high_min == high_max). pcp-&gt;high starts at high_min (the kernel
    /// starts it at 0 and clamps it into [high_min, high_max] on first use).
    /// </summary>
    public void InitPcp() => SetPagesetHighAndBatch(resetHigh: true);

    /// <summary>
    /// zone_pcp_update() after the watermarks changed: zone_set_pageset_high_and_batch() recomputes batch and high
    /// from the new low watermark. 6.1's pageset_update() sets pcp-&gt;high; mainline's sets high_min and high_max only,
    /// and pcp-&gt;high is clamped into them at its next use.
    /// </summary>
    public void ZonePcpUpdate() => SetPagesetHighAndBatch(resetHigh: Profile.Pcp != PcpTuning.Mainline);

    private void SetPagesetHighAndBatch(bool resetHigh)
    {
        foreach (var zone in Zones)
        {
            var batch = Math.Max(1, Config.PcpBatch ?? ZoneBatchSize(zone.ManagedPages));
            int highMin, highMax;
            if (Config.PcpHigh is { } manual)
            {
                highMin = highMax = manual;
            }
            else if (Config.PercpuPagelistHighFraction > 0)
            {
                // "PCP high is tuned manually, disable auto-tuning via setting high_min and high_max to the manual value."
                highMin = highMax = ZoneHighSize(zone.ManagedPages / Config.PercpuPagelistHighFraction, batch, Config.Cpus);
            }
            else
            {
                highMin = ZoneHighSize(zone.WatermarkPages(Watermark.Low), batch, Config.Cpus);
                highMax = Profile.Pcp == PcpTuning.Mainline
                    ? ZoneHighSize(zone.ManagedPages / MinPercpuPagelistHighFraction, batch, Config.Cpus)
                    : highMin;
            }

            for (var cpu = 0; cpu < Config.Cpus; cpu++)
            {
                ref var s = ref Pcp.State(Pcp.PcpId(cpu, zone.Index));
                s.Batch = batch;
                s.HighMin = highMin;
                s.HighMax = Math.Max(highMin, highMax);
                if (resetHigh)
                {
                    s.High = highMin;
                }
            }
        }
    }

    /// <summary>MIN_PERCPU_PAGELIST_HIGH_FRACTION: high_max is managed pages / 8 (per CPU).</summary>
    public const int MinPercpuPagelistHighFraction = 8;

    /// <summary>
    /// zone_highsize(): <paramref name="totalPages"/> split across the CPUs local to the zone, at least batch &lt;&lt; 2
    /// ("the historical relationship between high and batch").
    /// </summary>
    public static int ZoneHighSize(long totalPages, int batch, int cpus)
    {
        var high = totalPages / Math.Max(1, cpus);
        return (int)Math.Min(int.MaxValue, Math.Max(high, (long)batch << 2));
    }

    /// <summary>
    /// zone_batchsize(): about a quarter of a thousandth of the zone (at most 256 pages / 4), rounded to
    /// 2^k − 1 to avoid cache aliasing.
    /// </summary>
    public static int ZoneBatchSize(long managedPages)
    {
        var batch = Math.Min(managedPages >> 10, (1L << 20) / MmConstants.PageSize);
        batch /= 4;
        if (batch < 1)
        {
            batch = 1;
        }

        var v = batch + (batch / 2);
        var pow = 1L;
        while (pow * 2 <= v)
        {
            pow *= 2;
        }

        return (int)(pow - 1);
    }

    /// <summary>
    /// rmqueue_bulk(): take up to <paramref name="count"/> blocks of <paramref name="order"/> from buddy with
    /// __rmqueue (keeping the rmqueue mode across the batch) and add each to the tail of the pcp list, so the list
    /// is in the order the buddy handed them out.
    /// </summary>
    internal int RmqueueBulk(int zone, int order, int count, int list, MigrateType mt, AllocFlags flags)
    {
        var mode = RmqueueMode.Normal;
        var i = 0;
        Stats.PcpRefills++;
        for (; i < count; i++)
        {
            var pfn = Rmqueue(zone, order, mt, flags, ref mode);
            if (pfn < 0)
            {
                break;
            }

            // set_pcppage_migratetype (6.1): the list's type is cached on the page.
            SetState(pfn, PageType.Pcp, order, mt);
            Pcp.Lists.AddTail(list, pfn);
            MarkThpFreedToPcp(pfn, order, false);
        }

        return i;
    }

    /// <summary>
    /// nr_pcp_alloc(): how many blocks a refill takes. Mainline: order 0 takes batch &lt;&lt; alloc_factor (bounded by
    /// room below high), growing alloc_factor on consecutive refills; every order is then scaled by
    /// max(batch &gt;&gt; order, 2). 6.1: max(batch &gt;&gt; order, 2).
    /// </summary>
    internal int NrPcpAlloc(int pcp, int order)
    {
        ref var s = ref Pcp.State(pcp);
        var baseBatch = s.Batch;
        int batch;
        if (Profile.Pcp == PcpTuning.Linux61)
        {
            batch = baseBatch;
        }
        else
        {
            var high = ClampHigh(ref s);

            // Mainline: "Check for PCP disabled or boot pageset". 6.1's __rmqueue_pcplist has no such check.
            if (high < baseBatch)
            {
                return 1;
            }

            batch = order != 0 ? baseBatch : baseBatch << s.AllocFactor;

            // "If we had larger pcp->high, we could avoid to allocate from zone."
            if (s.HighMin != s.HighMax && !Zones[Pcp.ZoneOf(pcp)].BelowHigh)
            {
                high = s.High = (int)Math.Min((long)high + batch, s.HighMax);
            }

            if (order == 0)
            {
                var maxNrAlloc = Math.Max(high - s.Count - baseBatch, baseBatch);
                if (batch <= maxNrAlloc && s.AllocFactor < PerCpuPages.BatchScaleMax)
                {
                    s.AllocFactor++;
                }

                batch = Math.Min(batch, maxNrAlloc);
            }
        }

        if (batch > 1)
        {
            batch = Math.Max(batch >> order, 2);
        }

        return batch;
    }

    /// <summary>
    /// rmqueue_pcplist() / __rmqueue_pcplist(): pop the head of the pcp list (LIFO, cache-hot), refilling it from
    /// buddy first when empty. Returns the PFN or −1.
    /// </summary>
    internal int RmqueuePcplist(int zone, int order, MigrateType mt, AllocFlags flags, int cpu = 0)
    {
        var pcps = Pcp;
        var pcp = pcps.PcpId(cpu, zone);
        ref var s = ref pcps.State(pcp);
        if (Profile.Pcp == PcpTuning.Linux61)
        {
            s.FreeFactor >>= 1;
        }
        else
        {
            s.FreeCount >>= 1;
        }

        var list = pcps.ListId(pcp, pcps.OrderToPindex(mt, order));
        var lists = pcps.Lists;
        var pfn = lists.Head[list];
        if (pfn != MemMap.NoPage)
        {
            Stats.PcpHits++;
        }
        else
        {
            var batch = NrPcpAlloc(pcp, order);
            var got = RmqueueBulk(zone, order, batch, list, mt, flags);
            s.Count += got << order;
            pfn = lists.Head[list];
            if (pfn == MemMap.NoPage)
            {
                return -1;
            }
        }

        lists.Remove(list, pfn);
        s.Count -= 1 << order;
        ClearState(pfn);
        return pfn;
    }

    /// <summary>
    /// free_unref_page_commit(): add the block at the head of its pcp list; when count reaches high (or
    /// free_high: repeated frees of orders 1..3 without allocations), drain nr_pcp_free() pages to buddy.
    /// </summary>
    internal void FreeUnrefPageCommit(int zone, int pfn, int order, MigrateType mt, int cpu = 0)
    {
        var pcps = Pcp;
        var pcp = pcps.PcpId(cpu, zone);
        ref var s = ref pcps.State(pcp);
        var pindex = pcps.OrderToPindex(mt, order);
        var list = pcps.ListId(pcp, pindex);
        SetState(pfn, PageType.Pcp, order, mt);
        pcps.Lists.AddHead(list, pfn);
        MarkThpFreedToPcp(pfn, order, true);
        s.Count += 1 << order;
        var batch = s.Batch;
        bool freeHigh;
        int high;
        if (Profile.Pcp == PcpTuning.Linux61)
        {
            freeHigh = s.FreeFactor != 0 && order != 0 && order <= MmConstants.PageAllocCostlyOrder;
            high = freeHigh ? 0 : s.High;
        }
        else
        {
            s.AllocFactor >>= 1;
            if (order != 0 && order <= MmConstants.PageAllocCostlyOrder)
            {
                freeHigh = s.FreeCount >= batch + (s.HighMin / 2) && s.PrevFreeHighOrder;
                s.PrevFreeHighOrder = true;
            }
            else
            {
                freeHigh = false;
                s.PrevFreeHighOrder = false;
            }

            if (s.FreeCount < batch << PerCpuPages.BatchScaleMax)
            {
                s.FreeCount += 1 << order;
            }

            high = NrPcpHigh(ref s, zone, batch, freeHigh);
        }

        if (s.Count >= high)
        {
            FreePcppagesBulk(zone, NrPcpFree(pcp, batch, high, freeHigh), pcp, pindex);
            var z = Zones[zone];
            if (z.BelowHigh && ZoneWatermarkOk(zone, 0, z.WatermarkPages(Watermark.High)))
            {
                z.BelowHigh = false;
            }
        }
    }

    /// <summary>pcp-&gt;high = clamp(pcp-&gt;high, high_min, high_max), as nr_pcp_alloc and nr_pcp_high begin (high_min ≤ high_max always: SetPagesetHighAndBatch and RestorePcpParameters keep it).</summary>
    private static int ClampHigh(ref PcpState s) => s.High = Math.Clamp(s.High, s.HighMin, s.HighMax);

    /// <inheritdoc cref="NrPcpHigh(ref PcpState, int, int, bool)"/>
    internal int NrPcpHigh(int pcp, int zone, int batch, bool freeHigh) => NrPcpHigh(ref Pcp.State(pcp), zone, batch, freeHigh);

    /// <summary>
    /// nr_pcp_high() (mainline): the count at which this free drains. free_high drains everything and lowers high by
    /// batch &lt;&lt; PCP_BATCH_SCALE_MAX; with auto-tuning, a zone below its high watermark lowers high by the recent
    /// free count (keeping at least count), and a full list raises high to hold free_count + batch pages.
    /// ZONE_RECLAIM_ACTIVE is not modelled (no reclaim).
    /// </summary>
    private int NrPcpHigh(ref PcpState s, int zone, int batch, bool freeHigh)
    {
        var high = ClampHigh(ref s);
        if (high == 0)
        {
            return 0;
        }

        var highMin = s.HighMin;
        if (freeHigh)
        {
            s.High = Math.Max(high - (batch << PerCpuPages.BatchScaleMax), highMin);
            return 0;
        }

        if (highMin == s.HighMax)
        {
            return high;
        }

        if (Zones[zone].BelowHigh)
        {
            var freeCount = Math.Max(s.FreeCount, batch);
            s.High = Math.Max(high - freeCount, highMin);
            high = Math.Max(s.Count, highMin);
        }
        else if (s.Count >= high)
        {
            var needHigh = s.FreeCount + batch;
            if (s.High < needHigh)
            {
                s.High = Math.Clamp(needHigh, highMin, s.HighMax);
            }
        }

        return high;
    }

    /// <summary>
    /// decay_pcp_high() (mainline), from the vmstat refresh every second: lower a raised pcp-&gt;high by an eighth
    /// (not below high_min, nor more than batch &lt;&lt; PCP_BATCH_SCALE_MAX under the count), then drain whatever
    /// the list holds above high. Returns true when there is more to do (high still above high_min, or pages drained).
    /// </summary>
    public bool DecayPcpHigh(int pcp)
    {
        ref var s = ref Pcp.State(pcp);
        var highMin = s.HighMin;
        var todo = false;
        if (s.High > highMin)
        {
            var high = s.High;
            s.High = Math.Max(Math.Max(s.Count - (s.Batch << PerCpuPages.BatchScaleMax), high - (high >> 3)), highMin);
            todo = s.High > highMin;
        }

        var toDrain = s.Count - s.High;
        if (toDrain > 0)
        {
            FreePcppagesBulk(Pcp.ZoneOf(pcp), toDrain, pcp, 0);
            todo = true;
        }

        return todo;
    }

    /// <summary>
    /// refresh_cpu_vm_stats(do_pagesets): decay_pcp_high() on every pcp (mainline; 6.1 has no pcp decay). Returns true
    /// when some pcp has more to do (a later refresh would change something).
    /// </summary>
    public bool RefreshPcpHigh()
    {
        if (Profile.Pcp != PcpTuning.Mainline)
        {
            return false;
        }

        var todo = false;
        for (var pcp = 0; pcp < Pcp.Sets; pcp++)
        {
            todo |= DecayPcpHigh(pcp);
        }

        return todo;
    }

    /// <summary>
    /// nr_pcp_free(): how many pages a drain returns. Leaves at least batch pages; grows on consecutive frees
    /// without allocation (6.1: batch &lt;&lt; free_factor; mainline: clamp(free_count, batch, high − batch)).
    /// </summary>
    internal int NrPcpFree(int pcp, int batch, int high, bool freeHigh)
    {
        ref var s = ref Pcp.State(pcp);
        if (Profile.Pcp == PcpTuning.Linux61)
        {
            if (freeHigh)
            {
                return s.Count;
            }

            if (high < batch)
            {
                return 1;
            }

            var min = batch;
            var max = high - batch;
            var n = batch << s.FreeFactor;
            if (n < max)
            {
                s.FreeFactor++;
            }

            return Math.Clamp(n, min, Math.Max(min, max));
        }

        if (freeHigh)
        {
            return Math.Min(s.Count, batch << PerCpuPages.BatchScaleMax);
        }

        if (high < batch)
        {
            return 1;
        }

        return Math.Clamp(s.FreeCount, batch, Math.Max(batch, high - batch));
    }

    /// <summary>
    /// free_pcppages_bulk(): return <paramref name="count"/> pages to buddy, taking the lists round-robin starting
    /// with <paramref name="pindex"/>, each from its tail (the coldest pages), through __free_one_page(FPI_NONE).
    /// </summary>
    internal void FreePcppagesBulk(int zone, int count, int pcp, int pindex)
    {
        ref var state = ref Pcp.State(pcp);
        count = Math.Min(state.Count, count);
        var minPindex = 0;
        var maxPindex = Pcp.ListsPerPcp - 1;
        pindex--;
        while (count > 0)
        {
            int list;
            while (true)
            {
                if (++pindex > maxPindex)
                {
                    pindex = minPindex;
                }

                list = Pcp.ListId(pcp, pindex);
                if (!Pcp.Lists.IsEmpty(list))
                {
                    break;
                }

                if (pindex == maxPindex)
                {
                    maxPindex--;
                }

                if (pindex == minPindex)
                {
                    minPindex++;
                }
            }

            var order = PerCpuPages.PindexToOrder(pindex);
            var nrPages = 1 << order;
            do
            {
                var pfn = Pcp.Lists.Tail[list];
                var cachedMt = ListTypeOf(pfn);
                Pcp.Lists.Remove(list, pfn);
                ClearState(pfn);
                count -= nrPages;
                state.Count -= nrPages;
                var mt = Profile.DrainUsesPageblockType ? PageblockType(pfn) : cachedMt;
                FreeOnePageCore(pfn, zone, order, mt, FpiFlags.None);
                Stats.PcpDrainedPages += nrPages;
            }
            while (count > 0 && !Pcp.Lists.IsEmpty(list));
        }
    }

    /// <summary>drain_all_pages(): return every page on every pcp list to buddy.</summary>
    public void DrainAllPages()
    {
        for (var cpu = 0; cpu < Pcp.Cpus; cpu++)
        {
            foreach (var zone in Zones)
            {
                var pcp = Pcp.PcpId(cpu, zone.Index);
                var count = Pcp.State(pcp).Count;
                if (count > 0)
                {
                    FreePcppagesBulk(zone.Index, count, pcp, 0);
                }
            }
        }
    }

    private byte[]? _thpFreedToPcp;

    /// <summary>
    /// Diagnostics, not kernel state: a THP block went onto a pcp list by a free (true) or by a refill from buddy
    /// (false). Every way onto a pcp list sets it and it is read only right after a pcp hit, so leaving a list needs no
    /// update. One byte per pageblock, allocated on first use.
    /// </summary>
    private void MarkThpFreedToPcp(int pfn, int order, bool freed)
    {
        if (order != MmConstants.HpagePmdOrder)
        {
            return;
        }

        _thpFreedToPcp ??= new byte[PageblockMigrateType.Length];
        _thpFreedToPcp[pfn >> MmConstants.PageblockOrder] = freed ? (byte)1 : (byte)0;
    }

    /// <summary>Drop every THP pcp mark (a restored state starts without history).</summary>
    private void ForgetThpPcpMarks() => _thpFreedToPcp = null;

    /// <summary>
    /// True when the THP at <paramref name="pfn"/>, just allocated, came off a pcp list it had been freed to: it was
    /// recycled without passing through the buddy lists, so reporting never saw it and it carries no hint.
    /// </summary>
    public bool ThpRecycledFromPcp(int pfn) =>
        _thpFreedToPcp is { } marks && marks[pfn >> MmConstants.PageblockOrder] != 0;
}
