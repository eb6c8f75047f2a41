using EcsMm.Bench;
using EcsMm.Mm;
using EcsMm.Truth;

namespace EcsMm.Scenarios.Running;

/// <summary>The table rows of a VM scenario: what the alloc_once runs did, summed over the iterations.</summary>
public static class VmMetrics
{
    private static readonly string[] HeadlinePrefixes =
        ["task_clock", "cache_misses", "instructions", "faults_", "fault_alloc_failures", "thp_", "mthp_", "allocations_", "from_reported_", "hinted_", "pages_zeroed_", "pages_zeroing_skipped_", "host_", "corruptions"];

    /// <summary>True for the metrics <c>ecsmm run --brief</c> keeps: the cost estimates and what the alloc_once runs did.</summary>
    public static bool IsHeadline(string name) => HeadlinePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    public static IEnumerable<Metric> Of(SeedModeResult r) => Of(r.Total);

    /// <summary>
    /// The same metrics for one iteration (or any sum of them). Orders and zeroing paths with nothing to show are
    /// left out unless <paramref name="everyKey"/> (per-iteration objects keep one key set).
    /// </summary>
    public static IEnumerable<Metric> Of(SeedIterationMetrics t, bool everyKey = false)
    {
        yield return new("faults_order0", t.Faults[(int)FaultKind.Order0]);
        yield return new("faults_mthp", t.Faults[(int)FaultKind.Mthp]);
        yield return new("faults_thp", t.Faults[(int)FaultKind.Thp]);
        yield return new("faults_hugetlb", t.Faults[(int)FaultKind.Hugetlb]);
        yield return new("thp_fallbacks", t.ThpFallbacks);
        yield return new("mthp_fallbacks", t.MthpFallbacks);
        yield return new("fault_alloc_failures", t.AllocFailures);
        yield return new("thp_from_pcp", t.ThpFromPcp);
        yield return new("thp_recycled_via_pcp", t.ThpRecycledViaPcp);
        yield return new("thp_from_buddy", t.ThpFromBuddy);
        foreach (var order in new[] { 0, MmConstants.HpagePmdOrder })
        {
            if (t.Allocations[order] == 0 && !everyKey)
            {
                continue;
            }

            yield return new($"allocations_order{order}", t.Allocations[order]);
            yield return new($"from_reported_order{order}", t.FromReported[order]);
            yield return new($"from_reported_order{order}_pct", Math.Round(t.FromReportedPercent(order), 2));
            yield return new($"hinted_order{order}", t.Hinted[order]);
        }

        for (var p = 0; p < ZeroingPaths.Count; p++)
        {
            if (t.PagesZeroed[p] == 0 && t.PagesSkipped[p] == 0 && !everyKey)
            {
                continue;
            }

            var name = ZeroingPaths.KernelName((ZeroingPath)p);
            yield return new($"pages_zeroed_{name}", t.PagesZeroed[p]);
            yield return new($"pages_zeroing_skipped_{name}", t.PagesSkipped[p]);
        }

        yield return new("host_populates", t.HostPopulates);
        yield return new("host_refaults", t.HostRefaults);
        yield return new("corruptions", t.Corruptions);
    }
}
