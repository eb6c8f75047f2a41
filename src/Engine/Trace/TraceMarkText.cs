using System.Diagnostics.CodeAnalysis;

namespace EcsMm.Trace;

/// <summary>
/// Interprets the message of a <c>tracing_mark_write</c> line: <c>MARK snap &lt;name&gt;</c>,
/// <c>MARK buddydump &lt;name&gt; begin|end</c>, <c>MARK kpage dump &lt;name&gt; begin|end</c>,
/// <c>MARK run &lt;name&gt; ... start|end</c>; anything else is kept as <see cref="TraceMarkKind.Other"/>.
/// </summary>
public static class TraceMarkText
{
    /// <summary>
    /// Parses <paramref name="text"/>. Returns false (with what was expected) only for a MARK form this reader
    /// knows whose words are missing or wrong, e.g. <c>MARK snap</c> without a name.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out TraceMark? mark, [NotNullWhen(false)] out string? expected)
    {
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        expected = null;
        mark = null;
        if (words.Length < 2 || words[0] != "MARK")
        {
            mark = new TraceMark(TraceMarkKind.Other, null, text);
            return true;
        }

        switch (words[1])
        {
            case "snap":
                if (words.Length != 3)
                {
                    expected = "'MARK snap <name>'";
                    return false;
                }

                mark = new TraceMark(TraceMarkKind.Snapshot, words[2], text);
                return true;

            case "buddydump":
                return TryBeginEnd(words, 2, TraceMarkKind.BuddyDumpBegin, TraceMarkKind.BuddyDumpEnd, text, "'MARK buddydump <name> begin|end'", out mark, out expected);

            case "kpage" when words.Length > 2 && words[2] == "dump":
                return TryBeginEnd(words, 3, TraceMarkKind.KpageDumpBegin, TraceMarkKind.KpageDumpEnd, text, "'MARK kpage dump <name> begin|end'", out mark, out expected);

            case "run":
                for (int i = 3; i < words.Length; i++)
                {
                    if (words[i] is "start" or "end")
                    {
                        mark = new TraceMark(words[i] == "start" ? TraceMarkKind.RunStart : TraceMarkKind.RunEnd, words[2], text);
                        return true;
                    }
                }

                expected = "'MARK run <name> ... start|end'";
                return false;

            default:
                mark = new TraceMark(TraceMarkKind.Other, null, text);
                return true;
        }
    }

    private static bool TryBeginEnd(
        string[] words, int nameIndex, TraceMarkKind begin, TraceMarkKind end, string text, string form,
        [NotNullWhen(true)] out TraceMark? mark, [NotNullWhen(false)] out string? expected)
    {
        mark = null;
        expected = null;
        if (words.Length == nameIndex + 2 && words[nameIndex + 1] is "begin" or "end")
        {
            mark = new TraceMark(words[nameIndex + 1] == "begin" ? begin : end, words[nameIndex], text);
            return true;
        }

        expected = form;
        return false;
    }
}
