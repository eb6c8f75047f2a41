using System.Diagnostics.Tracing;

namespace EcsMm.Ecs;

/// <summary>
/// The "EcsMm" EventSource: start/stop events around each phase and each system of a pipeline step, for
/// dotnet-trace or an in-process <see cref="EventListener"/>. The pipeline writes them only when
/// <see cref="EventSource.IsEnabled()"/> is true, so they cost one field read when nobody listens.
/// </summary>
[EventSource(Name = "EcsMm")]
public sealed class EcsMmEventSource : EventSource
{
    public const int PhaseStartId = 1;
    public const int PhaseStopId = 2;
    public const int SystemStartId = 3;
    public const int SystemStopId = 4;

    /// <summary>The single instance.</summary>
    public static readonly EcsMmEventSource Log = new();

    private EcsMmEventSource()
    {
    }

    [Event(PhaseStartId, Level = EventLevel.Informational)]
    public void PhaseStart(string phase, long step) => WriteEvent(PhaseStartId, phase, step);

    [Event(PhaseStopId, Level = EventLevel.Informational)]
    public void PhaseStop(string phase, long step) => WriteEvent(PhaseStopId, phase, step);

    [Event(SystemStartId, Level = EventLevel.Verbose)]
    public void SystemStart(string system, string phase) => WriteEvent(SystemStartId, system, phase);

    [Event(SystemStopId, Level = EventLevel.Verbose)]
    public void SystemStop(string system, string phase) => WriteEvent(SystemStopId, system, phase);
}
