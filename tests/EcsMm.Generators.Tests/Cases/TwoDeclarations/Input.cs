using EcsMm.Ecs;

namespace Guest.A
{
    /// <summary>Storage for the first declaration.</summary>
    public sealed class Table
    {
        public readonly uint[] Bits = new uint[8];
    }

    /// <summary>A flag enum named like the one in Guest.B: the generated files must not collide.</summary>
    [PageFlags(typeof(Table), nameof(Table.Bits), StorageBits = 8)]
    public enum Flags
    {
        [FlagOps(FlagOps.Test), InMask("Any")]
        Alpha = 1,
    }
}

namespace Guest.B
{
    /// <summary>Holds a nested flag declaration.</summary>
    public static class Outer
    {
        /// <summary>A nested enum: the accessor class is emitted at namespace level.</summary>
        [PageFlags(typeof(Guest.A.Table), nameof(Guest.A.Table.Bits), StorageBits = 8, AccessorClass = "OuterFlagAccessors")]
        public enum Flags
        {
            [FlagOps(FlagOps.TestAndSet), InMask("Any")]
            Beta = 2,
        }
    }
}
