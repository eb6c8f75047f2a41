namespace EcsMm.Trace;

/// <summary>
/// The exact allocator state read from a <c>buddydump.&lt;snapshot&gt;.txt(.gz)</c> file (written by the
/// capture's <c>buddydump.c</c> module under the zone lock): the populated zones in order.
/// </summary>
public sealed class BuddyDump
{
    internal BuddyDump(string sourceName, List<BuddyDumpZone> zones)
    {
        SourceName = sourceName;
        Zones = zones;
    }

    /// <summary>The file name the dump was read from.</summary>
    public string SourceName { get; }

    /// <summary>The zones in dump order.</summary>
    public IReadOnlyList<BuddyDumpZone> Zones { get; }

    /// <summary>The zone called <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> if absent.</summary>
    public BuddyDumpZone Zone(string name) =>
        Zones.FirstOrDefault(z => z.Name == name) ?? throw new KeyNotFoundException($"{SourceName}: no zone '{name}'");
}
