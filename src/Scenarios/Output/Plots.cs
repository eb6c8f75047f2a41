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
        var xs = mode.Samples.Select(s => (double)s.Step + 1).ToArray();
        for (var o = 0; o < Mm.MmConstants.NrPageOrders; o++)
        {
            var order = o;
            var ys = mode.Samples.Select(s => (double)s.FreeBlocksPerOrder[order]).ToArray();
            var line = plt.Add.Scatter(xs, ys);
            line.LegendText = "order " + o.ToString(CultureInfo.InvariantCulture);
            line.MarkerSize = xs.Length > 60 ? 0 : 4;
        }

        plt.Axes.SetLimitsY(0, Math.Max(1, mode.Samples.Max(s => s.FreeBlocksPerOrder.Max())) * 1.05);
        plt.Title($"{scenario} ({mode.Mode}): free blocks per order (/proc/buddyinfo, all zones)");
        plt.XLabel("pipeline step (0 = after boot)");
        plt.YLabel("free blocks");
        plt.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(directory, $"free-blocks-per-order-{mode.Mode}.png");
        plt.SavePng(path, 1000, 560);
        return path;
    }

    /// <summary>NR_FREE_PAGES after every step, one line per mode.</summary>
    public static string FreePages(ScenarioResult result, string directory)
    {
        var plt = new Plot();
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
}
