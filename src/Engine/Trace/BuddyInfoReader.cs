using System.Globalization;
using System.Text;

namespace EcsMm.Trace;

/// <summary>
/// Reads and writes <c>/proc/buddyinfo</c> text: <c>Node 0, zone    DMA32      3      1 ...</c>, one line per
/// populated zone, one count of free blocks per order (11 in 6.1 and mainline).
/// </summary>
public static class BuddyInfoReader
{
    /// <summary>Reads the buddyinfo file at <paramref name="path"/> (plain or gzip).</summary>
    public static IReadOnlyList<BuddyInfoZone> Read(string path)
    {
        using Stream stream = TraceInput.OpenFile(path);
        return Read(stream, Path.GetFileName(path));
    }

    /// <summary>Reads buddyinfo text from <paramref name="stream"/>.</summary>
    public static IReadOnlyList<BuddyInfoZone> Read(Stream stream, string sourceName = "<stream>")
    {
        using var reader = new StreamReader(TraceInput.Open(stream, leaveOpen: true), Encoding.ASCII);
        var zones = new List<BuddyInfoZone>();
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            zones.Add(ParseLine(line, sourceName, lineNumber));
        }

        return zones;
    }

    /// <summary>Parses one <c>Node N, zone NAME c0 c1 ...</c> line.</summary>
    public static BuddyInfoZone ParseLine(string line, string sourceName = "<line>", long lineNumber = 1)
    {
        const string Form = "'Node <n>, zone <name> <count per order>...'";
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 5 || words[0] != "Node" || !words[1].EndsWith(',') || words[2] != "zone"
            || !int.TryParse(words[1].AsSpan(0, words[1].Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int node))
        {
            throw new TraceFormatException(sourceName, lineNumber, Form, line);
        }

        long[] counts = new long[words.Length - 4];
        for (int i = 0; i < counts.Length; i++)
        {
            if (!long.TryParse(words[4 + i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i]))
            {
                throw new TraceFormatException(sourceName, lineNumber, $"a non-negative count for order {i}, found '{words[4 + i]}'", line);
            }
        }

        return new BuddyInfoZone(node, words[3], counts);
    }

    /// <summary>Formats one zone exactly as the kernel's <c>frag_show_print</c> does (trailing space included).</summary>
    public static string Format(int node, string zone, ReadOnlySpan<long> freeBlocksPerOrder)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Node {node}, zone {zone,8} ");
        foreach (long count in freeBlocksPerOrder)
        {
            text.Append(CultureInfo.InvariantCulture, $"{count,6} ");
        }

        return text.ToString();
    }
}
