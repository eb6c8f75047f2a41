namespace EcsMm.Trace;

/// <summary>
/// A parsed <c>tracing_mark_write</c> message. <see cref="Text"/> is the whole message (after
/// <c>tracing_mark_write: </c>); <see cref="Name"/> is the snapshot or run name for the MARK forms.
/// </summary>
public sealed class TraceMark
{
    /// <summary>Creates a mark.</summary>
    public TraceMark(TraceMarkKind kind, string? name, string text)
    {
        Kind = kind;
        Name = name;
        Text = text;
    }

    /// <summary>What the mark delimits.</summary>
    public TraceMarkKind Kind { get; }

    /// <summary>The snapshot name (<c>snap</c>, <c>buddydump</c>, <c>kpage dump</c>) or the run name (<c>run</c>).</summary>
    public string? Name { get; }

    /// <summary>The full message text, e.g. <c>MARK run 10_thp_always_64 thp=always size=64 iter=1 start</c>.</summary>
    public string Text { get; }

    /// <inheritdoc />
    public override string ToString() => Text;
}
