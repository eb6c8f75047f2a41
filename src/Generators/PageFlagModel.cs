namespace EcsMm.Generators;

/// <summary>One flag (or alias) as the generator sees it. Only strings and numbers: cacheable.</summary>
internal sealed record FlagModel(
    string Name,
    int Bit,
    string? AliasOf,
    string? ValidWhen,
    int Ops,
    EquatableArray<string> Masks,
    EquatableArray<string> ExcludedMasks,
    string Location);

/// <summary>One <c>[PageFlags]</c> enum: where to write, what storage the accessors target, and its members.</summary>
internal sealed record FlagSetModel(
    string Namespace,
    string EnumName,
    string AccessorClass,
    string StorageType,
    string Column,
    int StorageBits,
    EquatableArray<FlagModel> Flags);
