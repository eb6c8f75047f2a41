using System.Globalization;
using System.Text;

namespace EcsMm.Trace;

/// <summary>
/// Reads a buddy dump (gzip or plain) into a <see cref="BuddyDump"/>. Line kinds, as <c>buddydump.c</c>
/// prints them:
/// <c>Z zone start_pfn spanned present managed nr_free min low high boost</c>,
/// <c>F zone order mt position pfn reported</c>, <c>P zone cpu list_index order position pfn mt</c>,
/// <c>C zone cpu count high batch free_factor</c>, <c>B zone pageblock_pfn mt</c>. Every F, P, C, B line must
/// follow its zone's Z line; list positions must count up from 0 in each list. Any violation throws
/// <see cref="TraceFormatException"/> with the file and line.
/// </summary>
public static class BuddyDumpReader
{
    /// <summary>NR_PCP_LISTS in 6.1 and mainline with THP: 3 pcp migratetypes x (orders 0..3 + the THP order).</summary>
    public const int PcpListCount = 15;

    /// <summary>Pageblock types are the 3-bit MIGRATETYPE_MASK field.</summary>
    public const int MaxPageblockMigratetype = 7;

    /// <summary>Reads the dump file at <paramref name="path"/>.</summary>
    public static BuddyDump Read(string path)
    {
        using Stream stream = TraceInput.OpenFile(path);
        return Read(stream, Path.GetFileName(path));
    }

    /// <summary>Reads a dump from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static BuddyDump Read(Stream stream, string sourceName = "<stream>")
    {
        using var reader = new StreamReader(TraceInput.Open(stream, leaveOpen: true), Encoding.ASCII);
        var zones = new List<BuddyDumpZone>();
        var positions = new Dictionary<(int, int, int), int>();
        BuddyDumpZone? zone = null;
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = new LineFields(line, sourceName, lineNumber);
            string kind = fields.Word(0, "a line kind Z, F, P, C or B");
            if (kind == "Z")
            {
                fields.ExpectCount(11, "'Z zone start_pfn spanned present managed nr_free min low high boost'");
                zone = new BuddyDumpZone(
                    fields.Word(1, "a zone name"),
                    fields.Number(2, "start_pfn"),
                    fields.Number(3, "spanned"),
                    fields.Number(4, "present"),
                    fields.Number(5, "managed"),
                    fields.Number(6, "nr_free"),
                    fields.Number(7, "min"),
                    fields.Number(8, "low"),
                    fields.Number(9, "high"),
                    fields.Number(10, "boost"));
                if (zone.Spanned == 0 || zone.StartPfn + zone.Spanned > int.MaxValue)
                {
                    throw fields.Fail($"a zone spanning 1..{int.MaxValue} PFNs from its start_pfn (the model's PFN range)");
                }

                zones.Add(zone);
                positions.Clear();
                continue;
            }

            if (kind is not ("F" or "P" or "C" or "B"))
            {
                throw fields.Fail("a line kind Z, F, P, C or B");
            }

            if (zone is null || fields.Word(1, "a zone name") != zone.Name)
            {
                throw fields.Fail($"a '{kind}' line of the zone of the preceding Z line ({zone?.Name ?? "none yet"})");
            }

            switch (kind)
            {
                case "F":
                {
                    fields.ExpectCount(7, "'F zone order migratetype position pfn reported'");
                    int order = fields.Bounded(2, "order", FtraceLineParser.MaxOrder);
                    int mt = fields.Bounded(3, "migratetype", FtraceLineParser.MaxMigratetype);
                    int position = NextPosition(positions, (0, order, mt), fields, 4);
                    zone.FreeBlocks.Add(new BuddyDumpFreeBlock(order, mt, position, PfnInZone(fields, 5, zone, 1L << order), fields.Bounded(6, "reported flag", 1) == 1));
                    break;
                }

                case "P":
                {
                    fields.ExpectCount(8, "'P zone cpu list_index order position pfn migratetype'");
                    int cpu = fields.Bounded(2, "cpu", short.MaxValue);
                    int listIndex = fields.Bounded(3, "pcp list index", PcpListCount - 1);
                    int order = fields.Bounded(4, "order", FtraceLineParser.MaxOrder);
                    int position = NextPosition(positions, (1 + cpu, listIndex, -1), fields, 5);
                    zone.PcpPages.Add(new BuddyDumpPcpPage(cpu, listIndex, order, position, PcpPfn(fields, 6, 1L << order), fields.Bounded(7, "migratetype", FtraceLineParser.MaxMigratetype)));
                    break;
                }

                case "C":
                    fields.ExpectCount(7, "'C zone cpu count high batch free_factor'");
                    zone.PcpParameters.Add(new BuddyDumpPcpParameters(
                        fields.Bounded(2, "cpu", short.MaxValue),
                        fields.Bounded(3, "count", int.MaxValue),
                        fields.Bounded(4, "high", int.MaxValue),
                        fields.Bounded(5, "batch", int.MaxValue),
                        fields.Bounded(6, "free_factor", int.MaxValue)));
                    break;

                default:
                    fields.ExpectCount(4, "'B zone pageblock_pfn migratetype'");
                    zone.Pageblocks.Add(new BuddyDumpPageblock(PfnInZone(fields, 2, zone, 1), fields.Bounded(3, "pageblock migratetype", MaxPageblockMigratetype)));
                    break;
            }
        }

        if (zones.Count == 0)
        {
            throw new TraceFormatException(sourceName, Math.Max(1, lineNumber), "at least one 'Z' zone line (the file is empty or not a buddy dump)");
        }

        return new BuddyDump(sourceName, zones);
    }

    /// <summary>A pcp page's PFN: in the model's PFN range (the loader checks it against the restored guest).</summary>
    private static long PcpPfn(in LineFields fields, int index, long pages)
    {
        var pfn = fields.Number(index, "pfn");
        if (pfn + pages > int.MaxValue)
        {
            throw fields.Fail($"a pfn below {int.MaxValue}, found {pfn}");
        }

        return pfn;
    }

    /// <summary>A PFN whose block of <paramref name="pages"/> lies inside the zone of the preceding Z line.</summary>
    private static long PfnInZone(in LineFields fields, int index, BuddyDumpZone zone, long pages)
    {
        var pfn = fields.Number(index, "pfn");
        if (pfn < zone.StartPfn || pfn + pages > zone.StartPfn + zone.Spanned)
        {
            throw fields.Fail($"a pfn inside zone {zone.Name} [{zone.StartPfn}, {zone.StartPfn + zone.Spanned}), found {pfn}");
        }

        return pfn;
    }

    private static int NextPosition(Dictionary<(int, int, int), int> positions, (int, int, int) list, in LineFields fields, int index)
    {
        int expected = positions.GetValueOrDefault(list);
        int position = fields.Bounded(index, "list position", int.MaxValue);
        if (position != expected)
        {
            throw fields.Fail($"list position {expected} (positions count up from 0 in each list)");
        }

        positions[list] = expected + 1;
        return position;
    }

    /// <summary>The space-separated fields of one dump line, with errors that name the file and line.</summary>
    private readonly struct LineFields
    {
        private readonly string _line;
        private readonly string[] _words;
        private readonly string _source;
        private readonly long _lineNumber;

        public LineFields(string line, string source, long lineNumber)
        {
            _line = line;
            _words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            _source = source;
            _lineNumber = lineNumber;
        }

        public TraceFormatException Fail(string expected) => new(_source, _lineNumber, expected, _line);

        public void ExpectCount(int count, string form)
        {
            if (_words.Length != count)
            {
                throw Fail($"{form} ({count} fields, found {_words.Length})");
            }
        }

        public string Word(int index, string what) => index < _words.Length ? _words[index] : throw Fail(what);

        public long Number(int index, string what)
        {
            string word = Word(index, what);
            if (!long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                throw Fail($"{what} as a non-negative decimal number, found '{word}'");
            }

            return value;
        }

        public int Bounded(int index, string what, int max)
        {
            long value = Number(index, what);
            if (value > max)
            {
                throw Fail($"{what} in 0..{max}, found {value}");
            }

            return (int)value;
        }
    }
}
