namespace EcsMm.Trace;

/// <summary>
/// A line of a known event (or a dump line) that does not have the expected form: names the source, the
/// 1-based line number and what was expected.
/// </summary>
public sealed class TraceFormatException : FormatException
{
    /// <summary>Creates the exception; the message reads <c>source:line: expected ... (line: '...')</c>.</summary>
    public TraceFormatException(string source, long lineNumber, string expected, string? lineText = null)
        : base(Compose(source, lineNumber, expected, lineText))
    {
        Source = source;
        LineNumber = lineNumber;
        Expected = expected;
        LineText = lineText;
    }

    /// <summary>The file name (or a description of the stream) the line came from.</summary>
    public new string Source { get; }

    /// <summary>The 1-based line number.</summary>
    public long LineNumber { get; }

    /// <summary>What the reader expected to find.</summary>
    public string Expected { get; }

    /// <summary>The offending line, shortened to 200 characters, when known.</summary>
    public string? LineText { get; }

    private static string Compose(string source, long lineNumber, string expected, string? lineText)
    {
        string text = $"{source}:{lineNumber}: expected {expected}";
        if (lineText is not null)
        {
            string shown = lineText.Length > 200 ? lineText[..200] + "..." : lineText;
            text += $" (line: '{shown.Trim()}')";
        }

        return text;
    }
}
