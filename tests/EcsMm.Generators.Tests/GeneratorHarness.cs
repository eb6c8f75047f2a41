using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using EcsMm.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EcsMm.Generators.Tests;

/// <summary>
/// Builds a compilation from test sources (against the .NET 10 reference assemblies and EcsMm.Engine, which
/// holds the attributes and <c>FlagScan</c>), and runs <see cref="PageFlagsGenerator"/> over it.
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>Doc comments are checked (as in EcsMm.Engine, which generates its documentation file), so a bad
    /// <c>cref</c> in the generated code is a warning here.</summary>
    public static readonly CSharpParseOptions ReleaseParse = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    public static readonly CSharpParseOptions DebugParse = ReleaseParse.WithPreprocessorSymbols("DEBUG");

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(EcsMm.Ecs.FlagScan).Assembly.Location),
    ];

    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> sources, CSharpParseOptions? parse = null) =>
        CSharpCompilation.Create(
            "GeneratorTestInput",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse ?? ReleaseParse, s.Path)),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions([new("CS1591", ReportDiagnostic.Suppress)]));

    public static CSharpCompilation Compile(string source, string path = "Input.cs") => Compile([(path, source)]);

    public static GeneratorDriver CreateDriver(bool trackSteps = false, CSharpParseOptions? parse = null) =>
        CSharpGeneratorDriver.Create(
            [new PageFlagsGenerator().AsSourceGenerator()],
            parseOptions: parse ?? ReleaseParse,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns its single result and the compilation with the generated files added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(Compilation input, CSharpParseOptions? parse = null)
    {
        var driver = CreateDriver(parse: parse).RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>The compiler's errors and warnings (hidden and info diagnostics left out).</summary>
    public static List<Diagnostic> ErrorsAndWarnings(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
}
