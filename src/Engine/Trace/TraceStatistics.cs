namespace EcsMm.Trace;

/// <summary>Line counts gathered while a trace is read: events per kind, comments, and skipped lines.</summary>
public sealed class TraceStatistics
{
    private readonly long[] _byKind = new long[Enum.GetValues<TraceEventKind>().Length];
    private readonly IReadOnlyDictionary<string, long> _skippedByName;

    internal TraceStatistics(IReadOnlyDictionary<string, long> skippedByName)
    {
        _skippedByName = skippedByName;
    }

    /// <summary>All lines read so far.</summary>
    public long Lines { get; internal set; }

    /// <summary>Comment (<c>#</c>) and blank lines.</summary>
    public long CommentLines { get; internal set; }

    /// <summary>Lines of events this reader does not model.</summary>
    public long SkippedLines { get; internal set; }

    /// <summary>Lines turned into events.</summary>
    public long Events { get; internal set; }

    /// <summary>Skipped lines per event name.</summary>
    public IReadOnlyDictionary<string, long> SkippedByName => _skippedByName;

    /// <summary>The number of events of <paramref name="kind"/> read so far.</summary>
    public long Count(TraceEventKind kind) => _byKind[(int)kind];

    internal void AddEvent(TraceEventKind kind)
    {
        _byKind[(int)kind]++;
        Events++;
    }
}
