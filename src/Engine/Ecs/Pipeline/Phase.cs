using System.Diagnostics;

namespace EcsMm.Ecs;

/// <summary>A named phase of a <see cref="Pipeline"/>: its systems in registration order, their resolved run order, and its counters.</summary>
public sealed class Phase
{
    private readonly List<SystemHandle> _systems = [];
    private SystemHandle[]? _order;

    internal Phase(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>The phase's systems in registration order.</summary>
    public IReadOnlyList<SystemHandle> Systems => _systems;

    public long Runs { get; private set; }

    /// <summary>Stopwatch ticks spent playing back command buffers at the end of this phase.</summary>
    public long PlaybackTicks { get; private set; }

    public double PlaybackMilliseconds => PlaybackTicks * 1000.0 / Stopwatch.Frequency;

    internal void Add(SystemHandle system)
    {
        _systems.Add(system);
        _order = null;
    }

    internal void Invalidate() => _order = null;

    internal SystemHandle[] Order(Func<string, SystemHandle?> find) => _order ??= SystemOrder.Resolve(Name, _systems, find);

    internal void Record(long playbackTicks)
    {
        Runs++;
        PlaybackTicks += playbackTicks;
    }

    internal void ResetStats()
    {
        Runs = 0;
        PlaybackTicks = 0;
    }

    public override string ToString() => Name;
}
