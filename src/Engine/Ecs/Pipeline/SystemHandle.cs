using System.Diagnostics;

namespace EcsMm.Ecs;

/// <summary>
/// A system's registration in a <see cref="Pipeline"/>: its phase, its Before/After constraints (by system name),
/// whether it runs, and its counters (calls, Stopwatch ticks).
/// </summary>
public sealed class SystemHandle
{
    private readonly List<string> _before = [];
    private readonly List<string> _after = [];
    private readonly Pipeline _pipeline;

    internal SystemHandle(Pipeline pipeline, ISystem system, string phase, int registration)
    {
        _pipeline = pipeline;
        System = system;
        Phase = phase;
        Registration = registration;
    }

    public ISystem System { get; }

    public string Name => System.Name;

    public string Phase { get; }

    /// <summary>Position in registration order across the pipeline; breaks ties when ordering.</summary>
    public int Registration { get; }

    public bool Enabled { get; set; } = true;

    /// <summary>Names of the systems this one must run before.</summary>
    public IReadOnlyList<string> RunsBefore => _before;

    /// <summary>Names of the systems this one must run after.</summary>
    public IReadOnlyList<string> RunsAfter => _after;

    public long Calls { get; private set; }

    public long ElapsedTicks { get; private set; }

    public double ElapsedMilliseconds => ElapsedTicks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Makes this system run before the system named <paramref name="system"/> (same phase).</summary>
    public SystemHandle Before(string system)
    {
        _before.Add(system);
        _pipeline.Invalidate(Phase);
        return this;
    }

    /// <summary>Makes this system run after the system named <paramref name="system"/> (same phase).</summary>
    public SystemHandle After(string system)
    {
        _after.Add(system);
        _pipeline.Invalidate(Phase);
        return this;
    }

    internal void Record(long ticks)
    {
        Calls++;
        ElapsedTicks += ticks;
    }

    internal void ResetStats()
    {
        Calls = 0;
        ElapsedTicks = 0;
    }

    public override string ToString() => $"{Phase}/{Name}";
}
