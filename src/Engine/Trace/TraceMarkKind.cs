namespace EcsMm.Trace;

/// <summary>What a <c>tracing_mark_write: MARK ...</c> line delimits.</summary>
public enum TraceMarkKind : byte
{
    /// <summary>A marker this reader does not interpret (still kept with its text).</summary>
    Other,

    /// <summary><c>MARK snap &lt;name&gt;</c>: the kernel views of snapshot <c>name</c> were taken.</summary>
    Snapshot,

    /// <summary><c>MARK buddydump &lt;name&gt; begin</c>.</summary>
    BuddyDumpBegin,

    /// <summary><c>MARK buddydump &lt;name&gt; end</c>.</summary>
    BuddyDumpEnd,

    /// <summary><c>MARK run &lt;name&gt; ... start</c>.</summary>
    RunStart,

    /// <summary><c>MARK run &lt;name&gt; ... end [rc=N]</c>.</summary>
    RunEnd,

    /// <summary><c>MARK kpage dump &lt;name&gt; begin</c>: a page-flags dump starts.</summary>
    KpageDumpBegin,

    /// <summary><c>MARK kpage dump &lt;name&gt; end</c>.</summary>
    KpageDumpEnd,
}
