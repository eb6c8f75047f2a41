using System.Globalization;
using EcsMm.Scenarios.Running;
using ScottPlot;

namespace EcsMm.Scenarios.Output;

/// <summary>PNG plots of a run, drawn only from the samples the run computed.</summary>
public static class Plots
{
    /// <summary>Free blocks per order after every pipeline step, one line per order (one file per mode).</summary>
    public static string FreeBlocksPerOrder(ModeResult mode, string scenario, string directory)
    {
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var xs = mode.Samples.Select(s => (double)s.Step + 1).ToArray();
        for (var o = 0; o < Mm.MmConstants.NrPageOrders; o++)
        {
            var order = o;

            // log10(count + 1): order-10 counts in the hundreds and order-0 counts in single digits share one axis.
            var ys = mode.Samples.Select(s => Math.Log10(s.FreeBlocksPerOrder[order] + 1.0)).ToArray();
            var line = plt.Add.Scatter(xs, ys);
            line.Color = o < 10 ? palette.GetColor(o) : Colors.Black;
            line.LegendText = "order " + o.ToString(CultureInfo.InvariantCulture);
            line.MarkerSize = xs.Length > 60 ? 0 : 4;
        }

        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => (Math.Pow(10, y) - 1).ToString("N0", CultureInfo.InvariantCulture),
        };
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plt.Axes.SetLimitsY(0, Math.Log10(Math.Max(10, mode.Samples.Max(s => s.FreeBlocksPerOrder.Max()) + 1)) * 1.05);
        plt.Title($"{scenario} ({mode.Mode}): free blocks per order (/proc/buddyinfo, all zones)");
        plt.XLabel("pipeline step (0 = after boot)");
        plt.YLabel("free blocks (log scale)");
        plt.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(directory, $"free-blocks-per-order-{mode.Mode}.png");
        plt.SavePng(path, 1000, 560);
        return path;
    }

    /// <summary>NR_FREE_PAGES after every step, one line per mode.</summary>
    public static string FreePages(ScenarioResult result, string directory)
    {
        var plt = new Plot();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        foreach (var m in result.Modes)
        {
            var xs = m.Samples.Select(s => (double)s.Step + 1).ToArray();
            var ys = m.Samples.Select(s => s.FreePages * 4096.0 / (1 << 20)).ToArray();
            var line = plt.Add.Scatter(xs, ys);
            line.LegendText = m.Mode;
            line.MarkerSize = xs.Length > 60 ? 0 : 4;
        }

        plt.Title($"{result.Scenario.Spec.Name}: free memory on the buddy lists");
        plt.XLabel("pipeline step (0 = after boot)");
        plt.YLabel("MiB free (NR_FREE_PAGES)");
        plt.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(directory, "free-pages.png");
        plt.SavePng(path, 1000, 560);
        return path;
    }

    /// <summary>
    /// Guest zeroing per iteration and mode: pages zeroed, zeroings skipped on the PG_zeroed hint, and the host work
    /// the skips deferred (host pages still owed a populate at the first guest write). VM scenarios count every
    /// zeroing path (post_alloc_hook, folio_zero_user, hugetlb, ...); allocator-only scenarios count post_alloc_hook.
    /// </summary>
    public static string ZeroingPerIteration(ScenarioResult result, string directory)
    {
        var plt = new Plot();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        var palette = new ScottPlot.Palettes.Category10();
        var c = 0;
        double top = 1;
        foreach (var m in result.Modes)
        {
            var series = new List<(string Label, double[] Ys, LinePattern Pattern)>();
            double[] xs;
            if (m.Vm is { } vm)
            {
                xs = Enumerable.Range(1, vm.Iterations.Count).Select(i => (double)i).ToArray();
                series.Add(("zeroed", vm.Iterations.Select(i => (double)i.TotalZeroed).ToArray(), LinePattern.Solid));
                series.Add(("skipped (hint)", vm.Iterations.Select(i => (double)i.TotalSkipped).ToArray(), LinePattern.Dashed));
                series.Add(("deferred to host (owed at first write)", vm.Iterations.Select(i => (double)i.HostPagesOwed).ToArray(), LinePattern.Dotted));
            }
            else
            {
                xs = m.Iterations.Select(i => (double)i.Iteration).ToArray();
                series.Add(("zeroed", m.Iterations.Select(i => (double)i.PagesZeroed).ToArray(), LinePattern.Solid));
                series.Add(("skipped (hint)", m.Iterations.Select(i => (double)i.PagesZeroingSkipped).ToArray(), LinePattern.Dashed));
            }

            foreach (var (label, ys, pattern) in series)
            {
                var line = plt.Add.Scatter(xs, ys);
                line.LegendText = $"{m.Mode}: {label}";
                line.Color = palette.GetColor(c++ % 10);
                line.LinePattern = pattern;
                top = Math.Max(top, ys.DefaultIfEmpty(0).Max());
            }
        }

        plt.Axes.SetLimitsY(0, top * 1.1);
        plt.Title($"{result.Scenario.Spec.Name}: guest zeroing per iteration: done, skipped, deferred");
        plt.XLabel("iteration");
        plt.YLabel("4 KiB pages");
        plt.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(directory, "zeroing-per-iteration.png");
        plt.SavePng(path, 1000, 560);
        return path;
    }

    /// <summary>Free memory on the buddy lists after every step, split into reported (PG_reported) and unreported, per mode.</summary>
    public static string ReportedFreeMemory(ScenarioResult result, string directory)
    {
        var plt = new Plot();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        var palette = new ScottPlot.Palettes.Category10();
        var c = 0;
        foreach (var m in result.Modes)
        {
            var xs = m.Samples.Select(s => (double)s.Step + 1).ToArray();
            var reported = plt.Add.Scatter(xs, m.Samples.Select(s => s.ReportedPages * 4096.0 / (1 << 20)).ToArray());
            reported.LegendText = $"{m.Mode}: reported";
            reported.Color = palette.GetColor(c++ % 10);
            reported.MarkerSize = xs.Length > 60 ? 0 : 4;
            var unreported = plt.Add.Scatter(xs, m.Samples.Select(s => (s.FreePages - s.ReportedPages) * 4096.0 / (1 << 20)).ToArray());
            unreported.LegendText = $"{m.Mode}: not reported";
            unreported.Color = palette.GetColor(c++ % 10);
            unreported.LinePattern = LinePattern.Dashed;
            unreported.MarkerSize = xs.Length > 60 ? 0 : 4;
        }

        plt.Title($"{result.Scenario.Spec.Name}: free memory, reported to the host vs not");
        plt.XLabel("pipeline step (0 = after boot)");
        plt.YLabel("MiB free");
        plt.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(directory, "reported-free-memory.png");
        plt.SavePng(path, 1000, 560);
        return path;
    }
}
