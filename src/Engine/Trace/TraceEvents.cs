namespace EcsMm.Trace;

/// <summary>
/// A whole trace in memory with its marks indexed, so replays can cut it between snapshots. The capture point
/// of a buddy dump is the moment its state was read: right after the last, largest allocation between the
/// dump's begin and end marks (the seq_file buffer the module prints into; the dump shows it allocated).
/// </summary>
public sealed class TraceEvents
{
    private readonly Dictionary<string, int> _dumpBegin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _dumpEnd = new(StringComparer.Ordinal);

    private TraceEvents(string source, List<TraceEvent> events)
    {
        Source = source;
        Events = events;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Mark is { Name: { } name } mark)
            {
                if (mark.Kind == TraceMarkKind.BuddyDumpBegin)
                {
                    _dumpBegin[name] = i;
                }
                else if (mark.Kind == TraceMarkKind.BuddyDumpEnd)
                {
                    _dumpEnd[name] = i;
                }
            }
        }
    }

    public string Source { get; }

    public List<TraceEvent> Events { get; }

    /// <summary>Read every event of a trace file (plain or gzip).</summary>
    public static TraceEvents Load(string path)
    {
        using var reader = FtraceReader.Open(path);
        var list = new List<TraceEvent>(1 << 16);
        while (reader.TryRead(out var ev))
        {
            list.Add(ev);
        }

        return new TraceEvents(reader.SourceName, list);
    }

    /// <summary>The index of the last event applied before the dump of <paramref name="snapshot"/> was read.</summary>
    public int CapturePoint(string snapshot)
    {
        if (!_dumpBegin.TryGetValue(snapshot, out var begin) || !_dumpEnd.TryGetValue(snapshot, out var end))
        {
            throw new KeyNotFoundException($"{Source}: no 'MARK buddydump {snapshot} begin/end' marks");
        }

        var capture = begin;
        var maxOrder = -1;
        for (var i = begin + 1; i < end; i++)
        {
            var ev = Events[i];
            if (ev.Kind == TraceEventKind.PageAlloc && !ev.Failed && ev.Order >= maxOrder)
            {
                maxOrder = ev.Order;
                capture = i;
            }
        }

        return capture;
    }
}
