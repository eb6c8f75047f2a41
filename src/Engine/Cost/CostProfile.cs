using System.Collections.Frozen;

namespace EcsMm.Cost;

/// <summary>
/// The cost model's constants by name (see costs.default.json for each one's source), the calibration target, and
/// typed accessors. Immutable; <see cref="With"/> returns a copy with some constants replaced.
/// </summary>
public sealed class CostProfile
{
    /// <summary>The names every profile defines.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        ZeroBw4K, ZeroBw2M, HostZeroBw4K, HostZeroBw2M, FaultHandlerNs, FaultHandlerInstructions, AllocPcpNs,
        AllocOrder9BuddyNs, ZeroingInstructionsPer4K, ReportCallNs, HostDiscardNsPerBlock, BalloonInflateNsPerPage,
        HostPopulateOverheadNs, CacheMissesPerZeroedByte, FixedInstructionsPerRun,
    ];

    public const string ZeroBw4K = "zero_4k_bytes_per_second";
    public const string ZeroBw2M = "zero_2m_bytes_per_second";
    public const string HostZeroBw4K = "host_zero_4k_bytes_per_second";
    public const string HostZeroBw2M = "host_zero_2m_bytes_per_second";
    public const string FaultHandlerNs = "fault_handler_ns";
    public const string FaultHandlerInstructions = "fault_handler_instructions";
    public const string AllocPcpNs = "alloc_pcp_ns";
    public const string AllocOrder9BuddyNs = "alloc_order9_buddy_ns";
    public const string ZeroingInstructionsPer4K = "zeroing_instructions_per_4k";
    public const string ReportCallNs = "report_call_ns";
    public const string HostDiscardNsPerBlock = "host_discard_ns_per_block";
    public const string BalloonInflateNsPerPage = "balloon_inflate_ns_per_page";
    public const string HostPopulateOverheadNs = "host_populate_overhead_ns";
    public const string CacheMissesPerZeroedByte = "cache_misses_per_zeroed_byte";
    public const string FixedInstructionsPerRun = "fixed_instructions_per_run";

    private static readonly Lazy<CostProfile> DefaultProfile = new(CostProfileReader.LoadDefault);

    private readonly FrozenDictionary<string, CostConstant> _constants;

    public CostProfile(IEnumerable<CostConstant> constants, CalibrationTarget target, string origin)
    {
        _constants = constants.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var name in Names)
        {
            if (!_constants.ContainsKey(name))
            {
                throw new ArgumentException($"{origin}: cost constant '{name}' is missing");
            }
        }

        Target = target;
        Origin = origin;
    }

    /// <summary>The embedded costs.default.json.</summary>
    public static CostProfile Default => DefaultProfile.Value;

    /// <summary>The row the fitted constants were fitted to.</summary>
    public CalibrationTarget Target { get; }

    /// <summary>Where the profile came from (the default file, plus any override file).</summary>
    public string Origin { get; }

    /// <summary>Every constant, in <see cref="Names"/> order.</summary>
    public IEnumerable<CostConstant> Constants => Names.Select(n => _constants[n]);

    /// <summary>A constant by name.</summary>
    public CostConstant this[string name] =>
        _constants.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"no cost constant '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>A copy with <paramref name="replacements"/> in place of the constants of the same names.</summary>
    public CostProfile With(IEnumerable<CostConstant> replacements, string? origin = null)
    {
        var d = _constants.ToDictionary(StringComparer.Ordinal);
        foreach (var r in replacements)
        {
            if (!d.ContainsKey(r.Name))
            {
                throw new KeyNotFoundException($"no cost constant '{r.Name}'");
            }

            d[r.Name] = r;
        }

        return new CostProfile(d.Values, Target, origin ?? Origin);
    }

    public double Value(string name) => this[name].Value;
}
