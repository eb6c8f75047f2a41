using System.Text;

namespace EcsMm.Trace;

/// <summary>What one line of ftrace text turned out to be.</summary>
internal enum FtraceLineOutcome
{
    /// <summary>An event this reader models; the event is returned.</summary>
    Event,

    /// <summary>A comment (<c>#</c>) or blank line.</summary>
    Comment,

    /// <summary>A well-formed line of an event this reader does not model.</summary>
    Skipped,
}

/// <summary>
/// Parses single lines of ftrace text (the <c>/sys/kernel/tracing/trace</c> format, or the bare
/// <c>EVENT: FIELDS</c> form) into <see cref="TraceEvent"/>s, span-based and without per-line allocation
/// (strings are made only for marks and for each distinct gfp text once).
/// </summary>
internal sealed class FtraceLineParser
{
    /// <summary>MAX_ORDER - 1 in Linux 6.1 (MAX_PAGE_ORDER in mainline).</summary>
    public const int MaxOrder = 10;

    /// <summary>The largest migratetype number (6.1 and mainline: Isolate = 5, with CMA = 4).</summary>
    public const int MaxMigratetype = 5;

    private readonly string _source;
    private readonly Dictionary<string, GfpEntry> _gfpCache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _skippedByName = new(StringComparer.Ordinal);

    public FtraceLineParser(string source)
    {
        _source = source;
    }

    /// <summary>Counts of skipped lines per event name.</summary>
    public IReadOnlyDictionary<string, long> SkippedByName => _skippedByName;

    /// <summary>Parses <paramref name="line"/> (without its line ending).</summary>
    public FtraceLineOutcome Parse(ReadOnlySpan<byte> line, long lineNumber, out TraceEvent result)
    {
        result = default;
        int first = 0;
        while (first < line.Length && (line[first] == (byte)' ' || line[first] == (byte)'\t'))
        {
            first++;
        }

        ReadOnlySpan<byte> text = line[first..];
        if (text.IsEmpty || text[0] == (byte)'#')
        {
            return FtraceLineOutcome.Comment;
        }

        long timestampNs = -1;
        int cpu = -1;
        int pid = -1;
        ReadOnlySpan<byte> afterPrefix;
        int bareNameLength = BareEventNameLength(text);
        if (bareNameLength > 0)
        {
            afterPrefix = text;
        }
        else
        {
            afterPrefix = ParsePrefix(text, line, lineNumber, out timestampNs, out cpu, out pid);
        }

        int colon = afterPrefix.IndexOf((byte)':');
        if (colon <= 0 || (colon + 1 < afterPrefix.Length && afterPrefix[colon + 1] != (byte)' '))
        {
            // Not an event line (e.g. the function tracer's "func <-parent"): not ours.
            CountSkipped("(no event name)");
            return FtraceLineOutcome.Skipped;
        }

        ReadOnlySpan<byte> name = afterPrefix[..colon];
        ReadOnlySpan<byte> body = colon + 2 <= afterPrefix.Length ? afterPrefix[(colon + 2)..] : default;
        if (!TryGetKind(name, out TraceEventKind kind))
        {
            CountSkipped(name);
            return FtraceLineOutcome.Skipped;
        }

        var ctx = new LineContext(this, line, lineNumber, kind, timestampNs, cpu, pid, body);
        result = kind switch
        {
            TraceEventKind.PageAlloc => ParsePageAlloc(ctx),
            TraceEventKind.PageFree or TraceEventKind.PageFreeBatched =>
                ctx.Make(ctx.Pfn("pfn="u8), ctx.Order("order="u8), -1),
            TraceEventKind.PageAllocZoneLocked => ctx.Make(
                ctx.Pfn("pfn="u8), ctx.Order("order="u8), ctx.Migratetype("migratetype="u8), percpuRefill: ctx.Bool("percpu_refill="u8)),
            TraceEventKind.PcpDrain => ctx.Make(ctx.Pfn("pfn="u8), ctx.Order("order="u8), ctx.Migratetype("migratetype="u8)),
            TraceEventKind.AllocExtfrag => ctx.Make(
                ctx.Pfn("pfn="u8),
                ctx.Order("alloc_order="u8),
                ctx.Migratetype("alloc_migratetype="u8),
                fallbackOrder: ctx.Order("fallback_order="u8),
                fallbackMigratetype: ctx.Migratetype("fallback_migratetype="u8),
                fragmenting: ctx.Bool("fragmenting="u8),
                changeOwnership: ctx.Bool("change_ownership="u8)),
            TraceEventKind.ReportProcess => ctx.Make(-1, -1, -1),
            TraceEventKind.ReportIsolate => ctx.Make(ctx.KprobePfn("page="u8), ctx.Order("order="u8), -1),
            TraceEventKind.ReportPutback => ctx.Make(ctx.KprobePfn("page="u8), ctx.Order("order="u8), ctx.Migratetype("mt="u8)),
            TraceEventKind.BalloonReport => ctx.Make(-1, -1, -1, entries: ctx.Count("nents="u8)),
            TraceEventKind.Mark => ctx.Make(-1, -1, -1, mark: ParseMark(ctx)),
            _ => throw new InvalidOperationException($"unhandled kind {kind}"),
        };
        return FtraceLineOutcome.Event;
    }

    /// <summary>Length of the event name when the line is in the bare <c>EVENT: FIELDS</c> form, else 0.</summary>
    private static int BareEventNameLength(ReadOnlySpan<byte> text)
    {
        int i = 0;
        while (i < text.Length && IsIdentifierByte(text[i]))
        {
            i++;
        }

        bool bare = i > 0 && i < text.Length && text[i] == (byte)':' && (i + 1 == text.Length || text[i + 1] == (byte)' ');
        return bare ? i : 0;
    }

    private static bool IsIdentifierByte(byte c) =>
        (uint)(c - 'a') <= 25 || (uint)(c - 'A') <= 25 || (uint)(c - '0') <= 9 || c == (byte)'_';

    /// <summary>Parses <c>TASK-PID [CPU] FLAGS TIMESTAMP: </c> and returns the rest (<c>EVENT: FIELDS</c>).</summary>
    private ReadOnlySpan<byte> ParsePrefix(ReadOnlySpan<byte> text, ReadOnlySpan<byte> line, long lineNumber, out long timestampNs, out int cpu, out int pid)
    {
        int open = FindCpuBracket(text, out int close);
        if (open < 0)
        {
            if (text.IndexOf("LOST"u8) >= 0 && text.IndexOf("EVENTS"u8) >= 0)
            {
                throw Fail(lineNumber, "no lost events (the ring buffer overflowed; the trace is incomplete)", line);
            }

            throw Fail(lineNumber, "'TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS' or 'EVENT: FIELDS'", line);
        }

        if (!AsciiNumbers.TryParseDecimal(text[(open + 1)..close], out long cpuValue) || cpuValue > short.MaxValue)
        {
            throw Fail(lineNumber, "a CPU number in '[CPU]'", line);
        }

        cpu = (int)cpuValue;
        pid = ParsePid(text[..open]);
        if (pid < 0)
        {
            throw Fail(lineNumber, "'TASK-PID' before '[CPU]'", line);
        }

        ReadOnlySpan<byte> afterBracket = text[(close + 1)..];
        int sep = afterBracket.IndexOf(": "u8);
        if (sep < 0 && afterBracket.Length > 0 && afterBracket[^1] == (byte)':')
        {
            sep = afterBracket.Length - 1;
        }

        if (sep < 0)
        {
            throw Fail(lineNumber, "'TIMESTAMP: ' after '[CPU]'", line);
        }

        ReadOnlySpan<byte> head = afterBracket[..sep].TrimEnd((byte)' ');
        int lastSpace = head.LastIndexOf((byte)' ');
        ReadOnlySpan<byte> stamp = lastSpace < 0 ? head : head[(lastSpace + 1)..];
        if (!AsciiNumbers.TryParseTimestampNs(stamp, out timestampNs))
        {
            throw Fail(lineNumber, "a timestamp 'SECONDS.MICROSECONDS' before the event name", line);
        }

        return sep + 2 <= afterBracket.Length ? afterBracket[(sep + 2)..] : default;
    }

    /// <summary>Finds the first <c>[digits]</c> group; returns the index of '[' (or -1) and of ']'.</summary>
    private static int FindCpuBracket(ReadOnlySpan<byte> text, out int close)
    {
        int from = 0;
        while (from < text.Length)
        {
            int open = text[from..].IndexOf((byte)'[');
            if (open < 0)
            {
                break;
            }

            open += from;
            int i = open + 1;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                i++;
            }

            if (i > open + 1 && i < text.Length && text[i] == (byte)']')
            {
                close = i;
                return open;
            }

            from = open + 1;
        }

        close = -1;
        return -1;
    }

    /// <summary>The PID at the end of <c>TASK-PID</c> (trailing spaces allowed), or -1.</summary>
    private static int ParsePid(ReadOnlySpan<byte> taskPid)
    {
        ReadOnlySpan<byte> t = taskPid.TrimEnd((byte)' ');
        int dash = t.LastIndexOf((byte)'-');
        if (dash < 0 || !AsciiNumbers.TryParseDecimal(t[(dash + 1)..], out long pid) || pid > int.MaxValue)
        {
            return -1;
        }

        return (int)pid;
    }

    private static bool TryGetKind(ReadOnlySpan<byte> name, out TraceEventKind kind)
    {
        kind = default;
        switch (name.Length)
        {
            case 9 when name.SequenceEqual("vb_report"u8):
                kind = TraceEventKind.BalloonReport;
                return true;
            case 11 when name.SequenceEqual("rep_isolate"u8):
                kind = TraceEventKind.ReportIsolate;
                return true;
            case 11 when name.SequenceEqual("rep_process"u8):
                kind = TraceEventKind.ReportProcess;
                return true;
            case 11 when name.SequenceEqual("rep_putback"u8):
                kind = TraceEventKind.ReportPutback;
                return true;
            case 12 when name.SequenceEqual("mm_page_free"u8):
                kind = TraceEventKind.PageFree;
                return true;
            case 13 when name.SequenceEqual("mm_page_alloc"u8):
                kind = TraceEventKind.PageAlloc;
                return true;
            case 18 when name.SequenceEqual("tracing_mark_write"u8):
                kind = TraceEventKind.Mark;
                return true;
            case 18 when name.SequenceEqual("mm_page_pcpu_drain"u8):
                kind = TraceEventKind.PcpDrain;
                return true;
            case 20 when name.SequenceEqual("mm_page_free_batched"u8):
                kind = TraceEventKind.PageFreeBatched;
                return true;
            case 21 when name.SequenceEqual("mm_page_alloc_extfrag"u8):
                kind = TraceEventKind.AllocExtfrag;
                return true;
            case 25 when name.SequenceEqual("mm_page_alloc_zone_locked"u8):
                kind = TraceEventKind.PageAllocZoneLocked;
                return true;
            default:
                return false;
        }
    }

    private TraceEvent ParsePageAlloc(in LineContext ctx)
    {
        ReadOnlySpan<byte> page = ctx.Required("page="u8);
        bool failed = page.SequenceEqual("(null)"u8) || (page.Length > 0 && page.IndexOfAnyExcept((byte)'0') < 0);
        long pfn = ctx.Pfn("pfn="u8);
        int order = ctx.Order("order="u8);
        int migratetype = ctx.Migratetype("migratetype="u8);
        ReadOnlySpan<byte> gfpBytes = ctx.Required("gfp_flags="u8);
        GfpEntry gfp = LookupGfp(gfpBytes, ctx);
        return ctx.Make(failed ? -1 : pfn, order, migratetype, gfp: gfp, failed: failed);
    }

    private GfpEntry LookupGfp(ReadOnlySpan<byte> bytes, in LineContext ctx)
    {
        Span<char> chars = bytes.Length <= 512 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        Encoding.Latin1.GetChars(bytes, chars);
        var lookup = _gfpCache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out GfpEntry? entry))
        {
            return entry;
        }

        if (!GfpFlagsText.TryParse(chars, out GfpFlags flags, out bool unknown))
        {
            throw ctx.Fail("'gfp_flags=' as NAME|NAME|... , a 0x hex value or 'none'");
        }

        entry = new GfpEntry(new string(chars), flags, unknown);
        _gfpCache.Add(entry.Text, entry);
        return entry;
    }

    private static TraceMark ParseMark(in LineContext ctx)
    {
        string text = Encoding.UTF8.GetString(ctx.Body.TrimEnd((byte)' '));
        return TraceMarkText.TryParse(text, out TraceMark? mark, out string? expected)
            ? mark
            : throw ctx.Fail(expected);
    }

    private void CountSkipped(ReadOnlySpan<byte> name)
    {
        Span<char> chars = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        Encoding.Latin1.GetChars(name, chars);
        var lookup = _skippedByName.GetAlternateLookup<ReadOnlySpan<char>>();
        lookup.TryGetValue(chars, out long count);
        lookup[chars] = count + 1;
    }

    private void CountSkipped(string name) => _skippedByName[name] = _skippedByName.GetValueOrDefault(name) + 1;

    internal TraceFormatException Fail(long lineNumber, string expected, ReadOnlySpan<byte> line) =>
        new(_source, lineNumber, expected, Encoding.Latin1.GetString(line));

    /// <summary>A parsed gfp text, cached per distinct text.</summary>
    private sealed record GfpEntry(string Text, GfpFlags Flags, bool HasUnknownNames);

    /// <summary>The state of one line while its fields are parsed; builds the event and the errors.</summary>
    private readonly ref struct LineContext
    {
        private readonly FtraceLineParser _parser;
        private readonly ReadOnlySpan<byte> _line;
        private readonly long _lineNumber;
        private readonly TraceEventKind _kind;
        private readonly long _timestampNs;
        private readonly int _cpu;
        private readonly int _pid;

        public LineContext(FtraceLineParser parser, ReadOnlySpan<byte> line, long lineNumber, TraceEventKind kind, long timestampNs, int cpu, int pid, ReadOnlySpan<byte> body)
        {
            _parser = parser;
            _line = line;
            _lineNumber = lineNumber;
            _kind = kind;
            _timestampNs = timestampNs;
            _cpu = cpu;
            _pid = pid;
            Body = body;
        }

        public ReadOnlySpan<byte> Body { get; }

        public TraceFormatException Fail(string expected) =>
            _parser.Fail(_lineNumber, $"{expected} in {EventName(_kind)}", _line);

        public ReadOnlySpan<byte> Required(ReadOnlySpan<byte> key)
        {
            if (!TraceFields.TryFind(Body, key, out ReadOnlySpan<byte> value))
            {
                throw Fail($"field '{Encoding.ASCII.GetString(key)}'");
            }

            return value;
        }

        public long Pfn(ReadOnlySpan<byte> key)
        {
            if (!AsciiNumbers.TryParsePfn(Required(key), out long pfn))
            {
                throw Fail($"'{Encoding.ASCII.GetString(key)}' as a non-negative PFN (0x hex or decimal)");
            }

            return pfn;
        }

        public long KprobePfn(ReadOnlySpan<byte> key)
        {
            if (!AsciiNumbers.TryParsePrefixedHex(Required(key), out ulong page) || !KprobePage.TryToPfn(page, out long pfn))
            {
                throw Fail($"'{Encoding.ASCII.GetString(key)}' as a struct page pointer 0x{KprobePage.VmemmapBase:x} + 64*pfn");
            }

            return pfn;
        }

        public int Order(ReadOnlySpan<byte> key)
        {
            if (!AsciiNumbers.TryParseDecimal(Required(key), out long order) || order > MaxOrder)
            {
                throw Fail($"'{Encoding.ASCII.GetString(key)}' as an order 0..{MaxOrder}");
            }

            return (int)order;
        }

        public int Migratetype(ReadOnlySpan<byte> key)
        {
            if (!AsciiNumbers.TryParseDecimal(Required(key), out long mt) || mt > MaxMigratetype)
            {
                throw Fail($"'{Encoding.ASCII.GetString(key)}' as a migratetype 0..{MaxMigratetype}");
            }

            return (int)mt;
        }

        public bool Bool(ReadOnlySpan<byte> key)
        {
            ReadOnlySpan<byte> value = Required(key);
            if (value.Length != 1 || (value[0] != (byte)'0' && value[0] != (byte)'1'))
            {
                throw Fail($"'{Encoding.ASCII.GetString(key)}' as 0 or 1");
            }

            return value[0] == (byte)'1';
        }

        public int Count(ReadOnlySpan<byte> key)
        {
            if (!AsciiNumbers.TryParseDecimal(Required(key), out long n) || n > int.MaxValue)
            {
                throw Fail($"'{Encoding.ASCII.GetString(key)}' as a non-negative count");
            }

            return (int)n;
        }

        public TraceEvent Make(
            long pfn,
            int order,
            int migratetype,
            GfpEntry? gfp = null,
            bool percpuRefill = false,
            int fallbackOrder = -1,
            int fallbackMigratetype = -1,
            bool fragmenting = false,
            bool changeOwnership = false,
            bool failed = false,
            int entries = -1,
            TraceMark? mark = null) =>
            new(
                _kind,
                _lineNumber,
                _timestampNs,
                _cpu,
                _pid,
                pfn,
                order,
                migratetype,
                gfp?.Flags ?? GfpFlags.None,
                gfp?.Text,
                gfp?.HasUnknownNames ?? false,
                percpuRefill,
                fallbackOrder,
                fallbackMigratetype,
                fragmenting,
                changeOwnership,
                failed,
                entries,
                mark);
    }

    /// <summary>The ftrace event name of <paramref name="kind"/>.</summary>
    public static string EventName(TraceEventKind kind) => kind switch
    {
        TraceEventKind.PageAlloc => "mm_page_alloc",
        TraceEventKind.PageFree => "mm_page_free",
        TraceEventKind.PageFreeBatched => "mm_page_free_batched",
        TraceEventKind.PageAllocZoneLocked => "mm_page_alloc_zone_locked",
        TraceEventKind.PcpDrain => "mm_page_pcpu_drain",
        TraceEventKind.AllocExtfrag => "mm_page_alloc_extfrag",
        TraceEventKind.ReportProcess => "rep_process",
        TraceEventKind.ReportIsolate => "rep_isolate",
        TraceEventKind.ReportPutback => "rep_putback",
        TraceEventKind.BalloonReport => "vb_report",
        TraceEventKind.Mark => "tracing_mark_write",
        _ => kind.ToString(),
    };
}
