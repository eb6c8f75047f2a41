using System.Globalization;
using System.Text;

namespace EcsMm.Ecs;

/// <summary>Formats a pipeline's counters as a fixed-width text table: one line per system, one playback line per phase.</summary>
internal static class PipelinePerfLog
{
    public static string Format(Pipeline pipeline)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"{"phase",-14} {"system",-32} {"calls",10} {"total ms",12} {"mean us",10}");
        foreach (var phase in pipeline.Phases)
        {
            foreach (var system in pipeline.OrderOf(phase))
            {
                var mean = system.Calls == 0 ? 0 : system.ElapsedMilliseconds * 1000.0 / system.Calls;
                var name = system.Enabled ? system.Name : system.Name + " (disabled)";
                text.AppendLine(inv, $"{phase.Name,-14} {name,-32} {system.Calls,10} {system.ElapsedMilliseconds,12:F3} {mean,10:F3}");
            }

            var playbackMean = phase.Runs == 0 ? 0 : phase.PlaybackMilliseconds * 1000.0 / phase.Runs;
            text.AppendLine(inv, $"{phase.Name,-14} {"(command playback)",-32} {phase.Runs,10} {phase.PlaybackMilliseconds,12:F3} {playbackMean,10:F3}");
        }

        return text.ToString();
    }
}
