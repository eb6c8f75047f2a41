using EcsMm.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EcsMm.Generators.Tests;

/// <summary>
/// Each diagnostic of the page-flag generator: its stable id, the location it points at (the offending enum
/// member, or the <c>[PageFlags]</c> attribute for storage errors), and that it comes alone — the generated code
/// still compiles, so the user sees one error instead of a cascade.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Storage = """
        using EcsMm.Ecs;

        namespace Diag;

        public sealed class Pages
        {
            public readonly uint[] Flags = new uint[16];
            public readonly int[] Counts = new int[16];
            public bool IsFree(int pfn) => (Flags[pfn] >> 28) != 0;
        }

        """;

    [Fact]
    public void BitBeyondTheStorageWidthIsEcsmm001OnTheMember()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags), StorageBits = 22)]
            public enum F
            {
                Locked = 0,
                Wide = 22,
            }
            """;
        var diagnostic = Single(source, "ECSMM001");
        AssertAt(diagnostic, source, "Wide = 22", "Wide");
        Assert.Equal(Diagnostics.BitBeyondStorage, diagnostic.Descriptor);
    }

    [Fact]
    public void NegativeBitIsEcsmm001()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags))]
            public enum F
            {
                Below = -1,
            }
            """;
        AssertAt(Single(source, "ECSMM001"), source, "Below = -1", "Below");
    }

    [Fact]
    public void TwoFlagsOnOneBitWithoutAliasIsEcsmm002OnTheSecond()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags))]
            public enum F
            {
                Uptodate = 3,
                Reported = 3,
            }
            """;
        AssertAt(Single(source, "ECSMM002"), source, "Reported = 3", "Reported");
    }

    [Fact]
    public void AliasOfAMissingFlagIsEcsmm003()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags))]
            public enum F
            {
                Uptodate = 3,
                [FlagAlias("Missing")]
                Ghost = 5,
            }
            """;
        AssertAt(Single(source, "ECSMM003"), source, "Ghost = 5", "Ghost");
    }

    [Fact]
    public void AliasNamingAFlagOnAnotherBitIsEcsmm003()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags))]
            public enum F
            {
                Uptodate = 3,
                Private = 14,
                [FlagAlias(nameof(Private))]
                Reported = Uptodate,
            }
            """;
        var diagnostics = Run(source);
        var missing = Assert.Single(diagnostics, d => d.Id == "ECSMM003");
        AssertAt(missing, source, "Reported = Uptodate", "Reported");
    }

    [Fact]
    public void AccessorNameCollisionIsEcsmm004OnTheLaterFlag()
    {
        // X's __SetPageX is spelled SetPageXNonAtomic, which is also SetPage + "XNonAtomic".
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags))]
            public enum F
            {
                [FlagOps(FlagOps.PageFlagNonAtomic)]
                X = 1,
                [FlagOps(FlagOps.Set)]
                XNonAtomic = 2,
            }
            """;
        var diagnostic = Single(source, "ECSMM004");
        AssertAt(diagnostic, source, "XNonAtomic = 2", "XNonAtomic");
        Assert.Contains("'SetPageXNonAtomic'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NamedMaskCollidingWithAFlagMaskIsEcsmm004()
    {
        // A named mask "Private" would be PrivateMask, the constant of flag Private.
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags))]
            public enum F
            {
                [InMask("Private")]
                Locked = 0,
                Private = 14,
            }
            """;
        var diagnostic = Single(source, "ECSMM004");
        AssertAt(diagnostic, source, "Locked = 0", "Locked");
        Assert.Contains("mask 'Private'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("'PrivateMask'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void StorageBitsWiderThanTheWordIsEcsmm005OnTheAttribute()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags), StorageBits = 40)]
            public enum F
            {
                Locked = 0,
            }
            """;
        AssertOnAttribute(Single(source, "ECSMM005", expectOutput: false), source);
    }

    [Fact]
    public void MissingColumnIsEcsmm006OnTheAttribute()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), "Nope")]
            public enum F
            {
                Locked = 0,
            }
            """;
        AssertOnAttribute(Single(source, "ECSMM006", expectOutput: false), source);
    }

    [Fact]
    public void ColumnOfTheWrongElementTypeIsEcsmm006()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Counts))]
            public enum F
            {
                Locked = 0,
            }
            """;
        AssertOnAttribute(Single(source, "ECSMM006", expectOutput: false), source);
    }

    [Fact]
    public void ValidWhenNamingNoStateCheckIsEcsmm007OnTheAlias()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags))]
            public enum F
            {
                Private = 14,
                [FlagAlias(nameof(Private), ValidWhen = "IsNowhere")]
                Zeroed = Private,
            }
            """;
        AssertAt(Single(source, "ECSMM007"), source, "Zeroed = Private", "Zeroed");
    }

    [Fact]
    public void DeclaredAliasWithAnExistingStateCheckHasNoDiagnostic()
    {
        var source = Storage + """
            [PageFlags(typeof(Pages), nameof(Pages.Flags))]
            public enum F
            {
                Private = 14,
                [FlagAlias(nameof(Private), ValidWhen = nameof(Pages.IsFree))]
                Zeroed = Private,
            }
            """;
        Assert.Empty(Run(source));
    }

    [Fact]
    public void DiagnosticIdsAreStable()
    {
        Assert.Equal(
            ["ECSMM001", "ECSMM002", "ECSMM003", "ECSMM004", "ECSMM005", "ECSMM006", "ECSMM007"],
            new[]
            {
                Diagnostics.BitBeyondStorage, Diagnostics.UndeclaredAlias, Diagnostics.AliasOfMissingFlag, Diagnostics.DuplicateName,
                Diagnostics.StorageBitsOutOfRange, Diagnostics.ColumnNotFound, Diagnostics.ValidWhenNotFound,
            }.Select(d => d.Id));
    }

    private static List<Diagnostic> Run(string source) =>
        GeneratorHarness.Run(GeneratorHarness.Compile(source)).Result.Diagnostics.ToList();

    /// <summary>Runs the generator; asserts exactly one diagnostic, with <paramref name="id"/>, as an error, and that the
    /// output (if any is expected) compiles without errors.</summary>
    private static Diagnostic Single(string source, string id, bool expectOutput = true)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        Assert.Null(result.Exception);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(expectOutput, result.GeneratedSources.Length > 0);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
        return diagnostic;
    }

    private static void AssertAt(Diagnostic diagnostic, string source, string context, string token)
    {
        var start = source.IndexOf(context, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{context}' not in the source");
        Assert.Equal("Input.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(new TextSpan(start, token.Length), diagnostic.Location.SourceSpan);
    }

    private static void AssertOnAttribute(Diagnostic diagnostic, string source)
    {
        var start = source.IndexOf("PageFlags(", StringComparison.Ordinal);
        var end = source.IndexOf(")]", start, StringComparison.Ordinal) + 1;
        Assert.Equal("Input.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(TextSpan.FromBounds(start, end), diagnostic.Location.SourceSpan);
    }
}
