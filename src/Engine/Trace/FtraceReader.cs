using System.Text;

namespace EcsMm.Trace;

/// <summary>
/// Streams the events of an ftrace text trace (the format of <c>/sys/kernel/tracing/trace</c>, or lines that are
/// only the <c>EVENT: FIELDS</c> part) from a file or a stream, gzip or plain (detected by magic bytes), one line
/// at a time. Models the kmem events (<c>mm_page_alloc</c>, <c>mm_page_free</c>, <c>mm_page_free_batched</c>,
/// <c>mm_page_alloc_zone_locked</c>, <c>mm_page_pcpu_drain</c>, <c>mm_page_alloc_extfrag</c>), the free page
/// reporting kprobes (<c>rep_process</c>, <c>rep_isolate</c>, <c>rep_putback</c>, <c>vb_report</c>) and
/// <c>tracing_mark_write</c>; other events are skipped and counted in <see cref="Statistics"/>. A malformed
/// line of a modelled event throws <see cref="TraceFormatException"/> naming the source and line.
/// </summary>
public sealed class FtraceReader : IDisposable
{
    private readonly ByteLineReader _lines;
    private readonly FtraceLineParser _parser;
    private long _lineNumber;

    /// <summary>Reads from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public FtraceReader(Stream stream, string sourceName = "<stream>", bool leaveOpen = false)
    {
        _lines = new ByteLineReader(TraceInput.Open(stream, leaveOpen));
        _parser = new FtraceLineParser(sourceName);
        SourceName = sourceName;
        Statistics = new TraceStatistics(_parser.SkippedByName);
    }

    private FtraceReader(string path)
    {
        _lines = new ByteLineReader(TraceInput.OpenFile(path));
        SourceName = Path.GetFileName(path);
        _parser = new FtraceLineParser(SourceName);
        Statistics = new TraceStatistics(_parser.SkippedByName);
    }

    /// <summary>The name used in error messages (the file name for files).</summary>
    public string SourceName { get; }

    /// <summary>Counts of the lines read so far.</summary>
    public TraceStatistics Statistics { get; }

    /// <summary>Opens the trace file at <paramref name="path"/> (gzip or plain).</summary>
    public static FtraceReader Open(string path) => new(path);

    /// <summary>Reads a trace held in a string (for tests and small inputs).</summary>
    public static FtraceReader FromText(string text, string sourceName = "<text>") =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(text)), sourceName);

    /// <summary>Parses one line; returns null for a comment, a blank line or a line of another event.</summary>
    public static TraceEvent? ParseLine(string line, long lineNumber = 1, string sourceName = "<line>")
    {
        var parser = new FtraceLineParser(sourceName);
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        return parser.Parse(bytes, lineNumber, out TraceEvent ev) == FtraceLineOutcome.Event ? ev : null;
    }

    /// <summary>Reads up to the next modelled event; false at the end of the input.</summary>
    public bool TryRead(out TraceEvent ev)
    {
        while (_lines.TryReadLine(out ReadOnlySpan<byte> line))
        {
            _lineNumber++;
            Statistics.Lines++;
            switch (_parser.Parse(line, _lineNumber, out ev))
            {
                case FtraceLineOutcome.Event:
                    Statistics.AddEvent(ev.Kind);
                    return true;
                case FtraceLineOutcome.Comment:
                    Statistics.CommentLines++;
                    break;
                default:
                    Statistics.SkippedLines++;
                    break;
            }
        }

        ev = default;
        return false;
    }

    /// <summary>The remaining events, streamed (the enumeration reads the input lazily).</summary>
    public IEnumerable<TraceEvent> ReadAll()
    {
        while (TryRead(out TraceEvent ev))
        {
            yield return ev;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lines.Dispose();
}
