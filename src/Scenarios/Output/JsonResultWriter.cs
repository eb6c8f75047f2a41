using System.Globalization;
using System.Text;
using System.Text.Json;
using EcsMm.Scenario;
using EcsMm.Scenarios.Running;

namespace EcsMm.Scenarios.Output;

/// <summary>
/// Writes a run's results as JSON with provenance. The output is a pure function of the scenario text, overrides,
/// seed, EcsMm build and machine: no timestamps, no wall-clock times, fixed key order, invariant number formats —
/// the same scenario and seed give byte-identical files.
/// </summary>
public static class JsonResultWriter
{
    public static byte[] Serialize(ScenarioResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(w, result);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter w, ScenarioResult result)
    {
        var spec = result.Scenario.Spec;
        w.WriteStartObject();
        w.WriteString("format", "ecsmm-result/1");
        w.WriteStartObject("provenance");
        w.WriteString("scenario", spec.Name);
        w.WriteString("scenario_file", Path.GetFileName(result.Scenario.Source));
        w.WriteString("scenario_sha256", result.Scenario.Sha256);
        w.WriteStartObject("overrides");
        foreach (var (k, v) in result.Scenario.Overrides)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
        w.WriteNumber("seed", spec.Seed);
        w.WriteString("ecsmm_version", Provenance.Version);
        w.WriteString("ecsmm_commit", Provenance.Commit);
        w.WriteStartObject("machine");
        w.WriteString("os", Provenance.Os);
        w.WriteString("arch", Provenance.Arch);
        w.WriteNumber("cores", Provenance.Cores);
        w.WriteString("runtime", Provenance.Runtime);
        w.WriteEndObject();
        w.WriteStartArray("plugins");
        foreach (var p in result.Plugins)
        {
            w.WriteStringValue(Path.GetFileName(p));
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WritePropertyName("parameters");
        WriteParameters(w, spec);
        w.WriteStartArray("modes");
        foreach (var m in result.Modes)
        {
            w.WriteStartObject();
            w.WriteString("mode", m.Mode);
            w.WriteNumber("host_zeroes_pages", m.HostZeroesPages);
            w.WriteStartObject("metrics");
            foreach (var metric in m.Metrics)
            {
                w.WritePropertyName(metric.Name);
                WriteNumber(w, metric.Value);
            }

            w.WriteEndObject();
            w.WriteStartArray("steps_not_executed");
            foreach (var n in m.NotExecuted)
            {
                w.WriteStartObject();
                w.WriteString("step", n.Kind);
                w.WriteNumber("count", n.Count);
                w.WriteString("reason", n.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("violations");
            foreach (var v in m.Violations)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
            w.WriteStartArray("iterations");
            var estimates = result.Costs is { } costReport ? (m.HostZeroesPages == 0 ? costReport.Baseline : costReport.Optimized) : null;
            for (var i = 0; i < m.Iterations.Count; i++)
            {
                var it = m.Iterations[i];
                w.WriteStartObject();
                w.WriteNumber("iteration", it.Iteration);
                w.WriteNumber("pages_zeroed_by_alloc_hook", it.PagesZeroed);
                w.WriteNumber("pages_zeroing_skipped_by_hint", it.PagesZeroingSkipped);
                w.WriteNumber("pages_allocated", it.PagesAllocated);
                if (m.Vm is { } vm && i < vm.Iterations.Count)
                {
                    // What this iteration's alloc_once runs did, and the cost model's estimate for it.
                    w.WriteStartObject("vm");
                    if (estimates is not null && i < estimates.Count)
                    {
                        w.WritePropertyName("task_clock_ms");
                        WriteNumber(w, Math.Round(estimates[i].TaskClockMs, 3));
                        w.WritePropertyName("cache_misses");
                        WriteNumber(w, Math.Round(estimates[i].CacheMisses));
                        w.WritePropertyName("instructions");
                        WriteNumber(w, Math.Round(estimates[i].Instructions));
                    }

                    foreach (var metric in Running.VmMetrics.Of(vm.Iterations[i], everyKey: true))
                    {
                        w.WritePropertyName(metric.Name);
                        WriteNumber(w, metric.Value);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("free_area_samples");
            foreach (var s in m.Samples)
            {
                w.WriteStartObject();
                w.WriteNumber("step", s.Step);
                w.WriteNumber("sim_ns", s.SimNs);
                w.WriteString("label", s.Label);
                w.WriteNumber("nr_free_pages", s.FreePages);
                w.WriteStartArray("free_blocks_per_order");
                foreach (var c in s.FreeBlocksPerOrder)
                {
                    w.WriteNumberValue(c);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("snapshots");
            foreach (var s in m.Snapshots)
            {
                w.WriteStartObject(s.Point);
                w.WriteString("buddyinfo", s.BuddyInfo);
                w.WriteString("pagetypeinfo", s.PageTypeInfo);
                w.WriteString("vmstat", s.VmStat);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteWriteVariant(w, result.Costs?.SimulatedWriteRows);
        w.WriteEndObject();
    }

    /// <summary>
    /// "write_variant": the cost model's rows for the same scenario with every alloc_once writing its memory (per
    /// alloc_once run: task_clock_ms, cache_misses, instructions as baseline / optimized means and the delta), or null
    /// when it was not simulated.
    /// </summary>
    private static void WriteWriteVariant(Utf8JsonWriter w, IReadOnlyList<Cost.CostReportRow>? rows)
    {
        if (rows is null)
        {
            w.WriteNull("write_variant");
            return;
        }

        w.WriteStartObject("write_variant");
        foreach (var r in rows)
        {
            w.WriteStartObject(r.Metric == "task-clock" ? "task_clock_ms" : r.Metric.Replace('-', '_'));
            w.WritePropertyName("baseline");
            WriteNumber(w, Math.Round(r.Baseline.Mean, 3));
            w.WritePropertyName("optimized");
            WriteNumber(w, Math.Round(r.Optimized.Mean, 3));
            w.WritePropertyName("delta_percent");
            WriteNumber(w, Math.Round(r.DeltaPercent, 2));
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 9e15)
        {
            w.WriteNumberValue((long)value);
        }
        else
        {
            w.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Every parameter of the scenario, as loaded (defaults filled in).</summary>
    public static void WriteParameters(Utf8JsonWriter w, ScenarioSpec spec)
    {
        w.WriteStartObject();
        w.WriteString("name", spec.Name);
        w.WriteString("description", spec.Description);
        w.WriteString("kernel", spec.Kernel);
        w.WriteNumber("iterations", spec.Iterations);
        w.WriteNumber("seed", spec.Seed);
        var g = spec.Guest;
        w.WriteStartObject("guest");
        w.WriteNumber("memory_bytes", g.MemoryBytes);
        w.WriteNumber("cpus", g.Cpus);
        w.WriteNumber("dma_limit_bytes", g.DmaLimitBytes);
        w.WriteNumber("dma32_limit_bytes", g.Dma32LimitBytes);
        w.WriteBoolean("init_on_alloc", g.InitOnAlloc);
        w.WriteBoolean("init_on_free", g.InitOnFree);
        w.WriteNumber("percpu_pagelist_high_fraction", g.PercpuPagelistHighFraction);
        w.WriteStartArray("reserved_pfn_ranges");
        foreach (var r in Running.GuestBuilder.Config(spec).Reserved)
        {
            w.WriteStartArray();
            w.WriteNumberValue(r.Start);
            w.WriteNumberValue(r.End);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("thp");
        w.WriteString("enabled", spec.Thp.Enabled);
        w.WriteString("defrag", spec.Thp.Defrag);
        w.WriteStartArray("mthp_orders");
        foreach (var o in spec.Thp.MthpOrders)
        {
            w.WriteNumberValue(o);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("hugetlb");
        w.WriteNumber("nr_hugepages", spec.Hugetlb.NrHugepages);
        w.WriteNumber("nr_overcommit_hugepages", spec.Hugetlb.NrOvercommitHugepages);
        w.WriteEndObject();
        var r2 = spec.Reporting;
        w.WriteStartObject("reporting");
        w.WriteBoolean("enabled", r2.Enabled);
        w.WriteNumber("order", r2.Order);
        w.WriteNumber("capacity", r2.Capacity);
        w.WritePropertyName("delay_seconds");
        WriteNumber(w, r2.DelaySeconds);
        w.WriteNumber("flush_budget", r2.FlushBudgetPages);
        w.WriteString("flush_budget_unit", r2.FlushBudgetUnit == Mm.FlushBudgetUnit.BasePages ? "base_pages" : "reported_blocks");
        w.WriteEndObject();
        w.WriteStartObject("balloon");
        w.WriteStartArray("host_zeroes_pages");
        foreach (var m in spec.Balloon.HostZeroesPages)
        {
            w.WriteNumberValue(m);
        }

        w.WriteEndArray();
        w.WriteBoolean("device_init_reported", spec.Balloon.DeviceInitReported);
        w.WriteEndObject();
        w.WriteStartObject("host");
        w.WriteNumber("page_size_bytes", spec.Host.PageSizeBytes);
        w.WriteBoolean("discard_inhibited", spec.Host.DiscardInhibited);
        w.WriteBoolean("poison", spec.Host.Poison);
        w.WriteEndObject();
        w.WriteStartObject("bench");
        w.WritePropertyName("warmup_seconds");
        WriteNumber(w, spec.Bench.WarmupSeconds);
        w.WriteBoolean("balloon_loaded_at_boot", spec.Bench.BalloonLoadedAtBoot);
        w.WritePropertyName("gap_seconds");
        WriteNumber(w, spec.Bench.GapSeconds);
        w.WriteBoolean("after_baseline", spec.Bench.AfterBaseline);
        w.WriteEndObject();
        if (spec.CostProfile is null)
        {
            w.WriteNull("costs");
        }
        else
        {
            w.WriteString("costs", Path.GetFileName(spec.CostProfile));
        }

        w.WriteStartArray("snapshots");
        foreach (var s in spec.Snapshots)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        WriteSteps(w, "setup", spec.Setup);
        WriteSteps(w, "iteration", spec.Iteration);
        w.WriteEndObject();
    }

    private static void WriteSteps(Utf8JsonWriter w, string name, IReadOnlyList<WorkloadStep> steps)
    {
        w.WriteStartArray(name);
        foreach (var s in steps)
        {
            w.WriteStartObject();
            w.WriteString("step", s.Kind);
            switch (s)
            {
                case AllocOnceStep a:
                    w.WriteNumber("size_bytes", a.SizeBytes);
                    w.WriteString("huge", a.Huge == AllocHuge.Hugetlb ? "hugetlb" : "none");
                    break;
                case FlushStep f:
                    w.WriteNumber("pages", f.Pages);
                    break;
                case SleepStep sl:
                    w.WritePropertyName("seconds");
                    WriteNumber(w, sl.Seconds);
                    break;
                case BackgroundStep b:
                    w.WriteString("workload", b.Workload.ToString());
                    w.WriteNumber("size_bytes", b.SizeBytes);
                    break;
                case ChurnStep c:
                    w.WriteNumber("operations", c.Operations);
                    w.WriteNumber("live_bytes", c.LiveBytes);
                    w.WriteNumber("min_order", c.MinOrder);
                    w.WriteNumber("max_order", c.MaxOrder);
                    w.WriteString("migratetype", c.Migratetype);
                    w.WriteBoolean("free_at_end", c.FreeAtEnd);
                    w.WriteBoolean("zero", c.Zero);
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
