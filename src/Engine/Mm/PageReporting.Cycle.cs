namespace EcsMm.Mm;

/// <summary>One reporting pass: page_reporting_process, page_reporting_process_zone, page_reporting_cycle, page_reporting_drain.</summary>
public sealed partial class PageReporting
{
    /// <summary>
    /// page_reporting_process(): set ACTIVE, run every zone (stopping at the first error), then
    /// cmpxchg(ACTIVE → IDLE); if the state went back to REQUESTED meanwhile (a notification, or a list left with
    /// its budget used up), schedule the next pass PAGE_REPORTING_DELAY later.
    /// </summary>
    public void Process()
    {
        State = PageReportingState.Active;
        _pass = new PageReportingPass(Clock.NowNs);
        Stats.Passes++;
        for (var z = 0; z < Alloc.Zones.Length; z++)
        {
            if (ProcessZone(z) != 0)
            {
                break;
            }
        }

        if (Stats.PassLog.Count < PageReportingStats.MaxLoggedPasses)
        {
            Stats.PassLog.Add(_pass);
        }
        else
        {
            Stats.PassesNotLogged++;
        }

        _pass = null;
        if (State == PageReportingState.Active)
        {
            State = PageReportingState.Idle;
        }
        else if (State == PageReportingState.Requested)
        {
            ScheduleWork(Clock.NowNs + DelayNs);
        }
    }

    /// <summary>
    /// page_reporting_process_zone(): skip the zone unless zone_watermark_ok(order 0, low watermark +
    /// (PAGE_REPORTING_CAPACITY &lt;&lt; page_reporting_order)); walk orders page_reporting_order..MAX_PAGE_ORDER and
    /// every migratetype but MIGRATE_ISOLATE through page_reporting_cycle, sharing one scatterlist; then report the
    /// leftover partial batch.
    /// </summary>
    /// <returns>0, or the device's error.</returns>
    public int ProcessZone(int zone)
    {
        var watermark = Alloc.Zones[zone].WatermarkPages(Watermark.Low) + ((long)Capacity << ReportingOrder);
        if (!Alloc.ZoneWatermarkOk(zone, 0, watermark))
        {
            Stats.ZonesSkipped++;
            return 0;
        }

        var offset = Capacity;
        for (var order = ReportingOrder; order <= MmConstants.MaxPageOrder; order++)
        {
            for (var mt = 0; mt < MigrateTypes.Count; mt++)
            {
                if ((MigrateType)mt == MigrateType.Isolate)
                {
                    continue;
                }

                var err = Cycle(zone, order, (MigrateType)mt, ref offset);
                if (err != 0)
                {
                    return err;
                }
            }
        }

        var leftover = Capacity - offset;
        if (leftover > 0)
        {
            var err = ReportBatch(offset, leftover);
            Drain(offset, leftover, err == 0);
            return err;
        }

        return 0;
    }

    /// <summary>
    /// page_reporting_cycle(): walk free_area[order].free_list[mt] from the head with a budget of
    /// DIV_ROUND_UP(nr_free, PAGE_REPORTING_CAPACITY * 16) report calls (nr_free counts every migratetype of the
    /// order). Reported blocks are skipped. With the budget below zero the state goes back to REQUESTED and the
    /// walk stops. While the scatterlist has room, blocks are isolated (__isolate_free_page) into it from the end;
    /// an isolation failure stops the list. When it is full, the current block is rotated to the list head, the
    /// batch is reported, the budget drops by one, the blocks are drained back, and the walk restarts at the head.
    /// On exit the resume point is rotated to the head (list_rotate_to_front).
    /// </summary>
    /// <returns>0, or the device's error.</returns>
    public int Cycle(int zone, int order, MigrateType mt, ref int offset)
    {
        var lists = Alloc.FreeLists;
        var list = Alloc.FreeListId(zone, order, mt);
        if (lists.IsEmpty(list))
        {
            return 0;
        }

        var flags = Alloc.Map.Flags;
        var budget = (Alloc.FreeBlocks(zone, order) + (Capacity * 16) - 1) / (Capacity * 16);
        var err = 0;
        var resume = MemMap.NoPage;
        var page = lists.Head[list];
        while (page != MemMap.NoPage)
        {
            var next = lists.Next(page);
            if ((flags[page] & PageFlagAccessors.ReportedMask) != 0)
            {
                page = next;
                continue;
            }

            if (budget < 0)
            {
                State = PageReportingState.Requested;
                Stats.BudgetExhausted++;
                resume = page;
                break;
            }

            if (offset > 0)
            {
                if (!Alloc.IsolateFreePage(page, order))
                {
                    Stats.IsolationFailures++;
                    resume = page;
                    break;
                }

                if (RecordIsolations)
                {
                    IsolationLog.Add(new ReportedBlock(page, order));
                }

                offset--;
                _sg[offset] = new ReportedBlock(page, order);
                page = next;
                continue;
            }

            lists.RotateToFront(list, page);
            err = ReportBatch(0, Capacity);
            offset = Capacity;
            budget--;
            Drain(0, Capacity, err == 0);
            page = lists.Head[list];
            if (err != 0)
            {
                resume = page;
                break;
            }
        }

        if (resume != MemMap.NoPage && lists.Head[list] != resume && (flags[resume] & MemMap.TypeMask) == ((uint)PageType.Buddy << MemMap.TypeShift))
        {
            lists.RotateToFront(list, resume);
        }

        return err;
    }

    /// <summary>
    /// page_reporting_drain(): put every block back with __putback_isolated_page() (FPI_SKIP_REPORT_NOTIFY |
    /// FPI_TO_TAIL, on its pageblock's current list). If the report succeeded and the block did not merge (still
    /// PageBuddy with its order), set PG_reported, and with host_zeroes_pages PG_zeroed too (seed patch 10) — for a
    /// device with per-entry feedback only on the entries it says it initialized.
    /// </summary>
    private void Drain(int start, int count, bool reported)
    {
        var flags = Alloc.Map.Flags;
        var zeroes = reported && Device.HostZeroesPages && Alloc.Config.SeriesApplied;
        for (var i = start; i < start + count; i++)
        {
            var b = _sg[i];
            var final = Alloc.PutbackIsolatedPage(b.Pfn, b.Order, Alloc.PageblockType(b.Pfn));
            if (!reported)
            {
                continue;
            }

            if (final != b.Order || !Alloc.Map.PageBuddy(b.Pfn) || Alloc.Map.GetOrder(b.Pfn) != b.Order)
            {
                Stats.MergedAtPutback++;
                continue;
            }

            flags[b.Pfn] |= PageFlagAccessors.ReportedMask;
            if (zeroes && _initialized[i])
            {
                flags[b.Pfn] |= PageFlagAccessors.ZeroedMask;
                Stats.BlocksMarkedZeroed++;
            }
        }
    }

    /// <summary>prdev-&gt;report() on _sg[start .. start + count), with the counters.</summary>
    private int ReportBatch(int start, int count)
    {
        var blocks = new ReadOnlySpan<ReportedBlock>(_sg, start, count);
        var err = Device.Report(blocks, new Span<bool>(_initialized, start, count));
        Stats.ReportCalls++;
        if (err != 0)
        {
            Stats.ReportErrors++;
        }
        else
        {
            foreach (var b in blocks)
            {
                Stats.BlocksReported[b.Order]++;
                Stats.PagesReported += 1L << b.Order;
                if (_pass is { } pass)
                {
                    pass.Blocks[b.Order]++;
                }
            }
        }

        if (_pass is { } p)
        {
            p.ReportCalls++;
            p.CallSizes.Add(count);
        }

        return err;
    }
}
