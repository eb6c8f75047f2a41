using System.Globalization;
using EcsMm.Bench;

namespace EcsMm.Cost;

/// <summary>
/// The calibration protocol: fit the three constants no source gives — the host populate overhead, cache misses per
/// zeroed byte, and the fixed instructions of a run — to the seed's THP baseline row only (per-run means of the
/// simulated seed-thp baseline against the <see cref="CalibrationTarget"/>). Every other figure is a prediction.
/// </summary>
public static class CostFit
{
    /// <summary>
    /// Fit to <paramref name="baseline"/> (the simulated baseline mode of the target's scenario). Returns the profile
    /// with the three fitted constants replaced, each with its fit in its source text.
    /// </summary>
    public static CostProfile Fit(SeedModeResult baseline, int hostPageBytes, CostProfile profile)
    {
        if (baseline.HostZeroesPages)
        {
            throw new ArgumentException("the cost model is fitted to the baseline mode only", nameof(baseline));
        }

        var target = profile.Target;
        var runs = baseline.Iterations.Count;
        var model = new CostModel(profile);
        var total = baseline.Total;
        var inv = CultureInfo.InvariantCulture;
        var where = $"{target.Scenario} {target.Mode}, {runs} runs";

        // task-clock: what is not fault, guest zeroing or host zero-fill is the per-populate overhead.
        var hostZeroPerPopulate = model.PopulateNs(hostPageBytes) - profile.Value(CostProfile.HostPopulateOverheadNs);
        var guestNs = (model.FaultNs(total) + model.GuestZeroNs(total) + model.WriteNs(total)) / runs;
        var populates = (double)total.HostPopulates / runs;
        var rest = (target.TaskClockMs * 1e6) - guestNs - (populates * hostZeroPerPopulate);
        var overhead = rest / populates;

        var bytes = (double)(total.TotalZeroed + total.PagesWrittenByWorkload) * Mm.MmConstants.PageSize / runs;
        var perByte = target.CacheMisses / bytes;

        var variable = (model.Instructions(total, runs) / runs) - profile.Value(CostProfile.FixedInstructionsPerRun);
        var fixedInstr = target.Instructions - variable;

        if (!(overhead > 0) || !(perByte > 0) || !(fixedInstr > 0))
        {
            throw new InvalidOperationException(string.Create(inv, $"the fit to {where} has no positive solution (overhead {overhead} ns, misses/byte {perByte}, fixed instructions {fixedInstr})"));
        }

        return profile.With(
        [
            profile[CostProfile.HostPopulateOverheadNs] with
            {
                Value = overhead,
                Source = string.Create(inv, $"fitted: ({target.TaskClockMs} ms - guest {guestNs / 1e6:F3} ms - host zero-fill {populates * hostZeroPerPopulate / 1e6:F3} ms) / {populates:F1} host populates per run ({where})"),
            },
            profile[CostProfile.CacheMissesPerZeroedByte] with
            {
                Value = perByte,
                Source = string.Create(inv, $"fitted: {target.CacheMisses} misses / {bytes:F0} bytes zeroed per run ({where})"),
            },
            profile[CostProfile.FixedInstructionsPerRun] with
            {
                Value = fixedInstr,
                Source = string.Create(inv, $"fitted: {target.Instructions} - {variable:F0} fault and zeroing instructions per run ({where})"),
            },
        ], $"{profile.Origin} fitted to {where}");
    }
}
