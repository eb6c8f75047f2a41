namespace EcsMm.Generators;

/// <summary>One flag (or alias) as the generator sees it. Only strings, numbers and flags: cacheable.</summary>
/// <param name="Name">The enum member name (the kernel's PG_ name in C# spelling).</param>
/// <param name="Bit">The bit (the member's value, clamped to the int range).</param>
/// <param name="AliasOf">The flag whose bit this alias shares, from <c>[FlagAlias]</c>.</param>
/// <param name="ValidWhen">The storage method naming the page state in which the alias is valid.</param>
/// <param name="ValidWhenExists">Whether <paramref name="ValidWhen"/> names an instance <c>bool M(int)</c> on the storage type.</param>
/// <param name="Ops">The <c>FlagOps</c> bits.</param>
/// <param name="Masks">Named masks the bit is added to.</param>
/// <param name="ExcludedMasks">Named masks the bit is removed from.</param>
/// <param name="Location">The member's location, as <see cref="LocationText"/>.</param>
internal sealed record FlagModel(
    string Name,
    int Bit,
    string? AliasOf,
    string? ValidWhen,
    bool ValidWhenExists,
    int Ops,
    EquatableArray<string> Masks,
    EquatableArray<string> ExcludedMasks,
    string Location);

/// <summary>One <c>[PageFlags]</c> enum: where to write, what storage the accessors target, and its members.</summary>
/// <param name="Namespace">The enum's namespace, empty for the global namespace.</param>
/// <param name="EnumName">The enum's simple name.</param>
/// <param name="EnumFullName">The enum's full name (with containing types), for the doc reference and the hint name.</param>
/// <param name="AccessorClass">The generated static class.</param>
/// <param name="StorageType">The storage type, fully qualified.</param>
/// <param name="Column">The flag-word column on the storage type.</param>
/// <param name="ColumnIsWordArray">Whether <paramref name="Column"/> is a <c>uint[]</c> field or property of the storage type.</param>
/// <param name="StorageBits">How many low bits the flags may use.</param>
/// <param name="AttributeLocation">The <c>[PageFlags]</c> attribute's location, as <see cref="LocationText"/>.</param>
/// <param name="Flags">The members in declaration order.</param>
internal sealed record FlagSetModel(
    string Namespace,
    string EnumName,
    string EnumFullName,
    string AccessorClass,
    string StorageType,
    string Column,
    bool ColumnIsWordArray,
    int StorageBits,
    string AttributeLocation,
    EquatableArray<FlagModel> Flags)
{
    /// <summary>The widest flag word the generated code supports (the column is <c>uint[]</c>).</summary>
    public const int WordBits = 32;

    /// <summary>Whether the storage is usable at all; if not, only diagnostics are produced.</summary>
    public bool StorageIsValid => ColumnIsWordArray && StorageBits is >= 1 and <= WordBits;

    /// <summary>Whether <paramref name="flag"/>'s bit fits the declared width.</summary>
    public bool BitFits(FlagModel flag) => flag.Bit >= 0 && flag.Bit < StorageBits;
}
