using EcsMm.Ecs;

/// <summary>Storage in the global namespace whose column is a property.</summary>
public sealed class Words
{
    public uint[] Column { get; } = new uint[64];
}

/// <summary>No [FlagOps]: every flag gets PAGEFLAG() (test, set, clear); the full 32-bit width is used.</summary>
[PageFlags(typeof(Words), "Column")]
public enum PlainFlag
{
    First = 0,
    Last = 31,
}
