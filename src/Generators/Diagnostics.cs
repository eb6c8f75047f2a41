using Microsoft.CodeAnalysis;

namespace EcsMm.Generators;

/// <summary>The page-flag generator's diagnostics. Ids are stable: never renumber, only add.</summary>
public static class Diagnostics
{
    private const string Category = "EcsMm.PageFlags";

    public static readonly DiagnosticDescriptor BitBeyondStorage = new(
        "ECSMM001",
        "Flag bit beyond the storage width",
        "Flag '{0}' uses bit {1}, but the flag word has only {2} bits for flags",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UndeclaredAlias = new(
        "ECSMM002",
        "Two flags share a bit without an alias declaration",
        "Flags '{0}' and '{1}' both use bit {2}; declare one of them [FlagAlias(nameof({1}))] if the sharing is intended",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor AliasOfMissingFlag = new(
        "ECSMM003",
        "Alias of a missing flag",
        "Flag '{0}' is declared an alias of '{1}', but no non-alias flag of that name uses bit {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateName = new(
        "ECSMM004",
        "Duplicate generated name",
        "The {0} generates member '{1}', which the {2} already generates",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StorageBitsOutOfRange = new(
        "ECSMM005",
        "Flag word width out of range",
        "StorageBits is {0}, but the flag word is a uint: it must be between 1 and {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ColumnNotFound = new(
        "ECSMM006",
        "Flag column not found",
        "'{0}' has no uint[] field or property named '{1}' to hold the flag words",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ValidWhenNotFound = new(
        "ECSMM007",
        "Alias state check not found",
        "Alias '{0}' is valid when '{1}', but '{2}' has no instance method 'bool {1}(int pfn)'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
