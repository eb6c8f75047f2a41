using System.Diagnostics;

namespace EcsMm.Ecs;

/// <summary>
/// One simulation step: named phases run in a fixed order; inside a phase, enabled systems run in their resolved
/// order (registration order plus Before/After constraints), then the world's command buffers are played back.
/// Plug-in points are by name: add a system to a phase (before/after a named system), add a phase after or before
/// a named phase, disable a system. Each system's calls and Stopwatch ticks are counted; see <see cref="PerfLog"/>.
/// </summary>
public sealed class Pipeline
{
    private readonly List<Phase> _phases = [];
    private readonly Dictionary<string, Phase> _phasesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SystemHandle> _systems = new(StringComparer.Ordinal);
    private readonly Func<string, SystemHandle?> _find;

    /// <summary>A pipeline with the given phases, in order.</summary>
    public Pipeline(IEnumerable<string> phases)
    {
        _find = name => _systems.GetValueOrDefault(name);
        foreach (var phase in phases)
        {
            AddPhase(phase);
        }
    }

    /// <summary>A pipeline with the default phases (<see cref="PhaseNames.Default"/>).</summary>
    public Pipeline()
        : this(PhaseNames.Default)
    {
    }

    /// <summary>The phases in run order.</summary>
    public IReadOnlyList<Phase> Phases => _phases;

    /// <summary>The phase names in run order.</summary>
    public IReadOnlyList<string> PhaseOrder => _phases.ConvertAll(p => p.Name);

    /// <summary>Appends a phase at the end.</summary>
    public Phase AddPhase(string name) => InsertPhase(_phases.Count, name);

    /// <summary>Adds a phase right after the phase named <paramref name="after"/>.</summary>
    public Phase AddPhaseAfter(string after, string name) => InsertPhase(_phases.IndexOf(PhaseNamed(after)) + 1, name);

    /// <summary>Adds a phase right before the phase named <paramref name="before"/>.</summary>
    public Phase AddPhaseBefore(string before, string name) => InsertPhase(_phases.IndexOf(PhaseNamed(before)), name);

    /// <summary>The phase named <paramref name="name"/>.</summary>
    public Phase PhaseNamed(string name) =>
        _phasesByName.TryGetValue(name, out var phase)
            ? phase
            : throw new PipelineException($"no phase '{name}'; phases are {string.Join(", ", _phases.ConvertAll(p => p.Name))}");

    /// <summary>Registers <paramref name="system"/> at the end of phase <paramref name="phase"/>.</summary>
    public SystemHandle Add(string phase, ISystem system)
    {
        var target = PhaseNamed(phase);
        if (string.IsNullOrEmpty(system.Name))
        {
            throw new PipelineException("a system needs a name");
        }

        if (_systems.TryGetValue(system.Name, out var existing))
        {
            throw new PipelineException($"a system named '{system.Name}' is already registered in phase '{existing.Phase}'");
        }

        var handle = new SystemHandle(this, system, phase, _systems.Count);
        _systems.Add(system.Name, handle);
        target.Add(handle);
        InvalidateAll();
        return handle;
    }

    /// <summary>Registers <paramref name="system"/> in phase <paramref name="phase"/>, to run before the system named <paramref name="before"/>.</summary>
    public SystemHandle AddBefore(string phase, string before, ISystem system) => Add(phase, system).Before(before);

    /// <summary>Registers <paramref name="system"/> in phase <paramref name="phase"/>, to run after the system named <paramref name="after"/>.</summary>
    public SystemHandle AddAfter(string phase, string after, ISystem system) => Add(phase, system).After(after);

    /// <summary>The registration of the system named <paramref name="name"/>.</summary>
    public SystemHandle System(string name) =>
        _systems.TryGetValue(name, out var handle) ? handle : throw new PipelineException($"no system named '{name}' is registered");

    /// <summary>Stops the system named <paramref name="name"/> from running (it keeps its place in the order).</summary>
    public void Disable(string name) => System(name).Enabled = false;

    public void Enable(string name) => System(name).Enabled = true;

    /// <summary>The resolved run order of a phase's systems (enabled or not).</summary>
    public IReadOnlyList<string> SystemOrder(string phase) => Array.ConvertAll(PhaseNamed(phase).Order(_find), s => s.Name);

    /// <summary>Resolves every phase's order, throwing <see cref="PipelineException"/> on an unknown name or a cycle.</summary>
    public void Validate()
    {
        foreach (var phase in _phases)
        {
            phase.Order(_find);
        }
    }

    /// <summary>Runs one step over <paramref name="world"/>: every phase in order, then increments <see cref="World.Step"/>.</summary>
    public void Run(World world)
    {
        Validate();
        var log = EcsMmEventSource.Log;
        foreach (var phase in _phases)
        {
            var tracing = log.IsEnabled();
            if (tracing)
            {
                log.PhaseStart(phase.Name, world.Step);
            }

            foreach (var system in phase.Order(_find))
            {
                if (!system.Enabled)
                {
                    continue;
                }

                if (tracing)
                {
                    log.SystemStart(system.Name, phase.Name);
                }

                var start = Stopwatch.GetTimestamp();
                system.System.Update(world, world.Time);
                system.Record(Stopwatch.GetTimestamp() - start);

                if (tracing)
                {
                    log.SystemStop(system.Name, phase.Name);
                }
            }

            var playbackStart = Stopwatch.GetTimestamp();
            world.PlaybackCommands();
            phase.Record(Stopwatch.GetTimestamp() - playbackStart);

            if (tracing)
            {
                log.PhaseStop(phase.Name, world.Step);
            }
        }

        world.Step++;
    }

    /// <summary>Runs <paramref name="steps"/> steps.</summary>
    public void Run(World world, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            Run(world);
        }
    }

    /// <summary>A text table of per-system calls and wall time, phases in run order (diagnostics; wall time is not deterministic).</summary>
    public string PerfLog() => PipelinePerfLog.Format(this);

    public void ResetStats()
    {
        foreach (var phase in _phases)
        {
            phase.ResetStats();
            foreach (var system in phase.Systems)
            {
                system.ResetStats();
            }
        }
    }

    internal void Invalidate(string phase) => PhaseNamed(phase).Invalidate();

    internal SystemHandle[] OrderOf(Phase phase) => phase.Order(_find);

    private void InvalidateAll()
    {
        foreach (var phase in _phases)
        {
            phase.Invalidate();
        }
    }

    private Phase InsertPhase(int index, string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new PipelineException("a phase needs a name");
        }

        var phase = new Phase(name);
        if (!_phasesByName.TryAdd(name, phase))
        {
            throw new PipelineException($"phase '{name}' already exists");
        }

        _phases.Insert(index, phase);
        return phase;
    }
}
