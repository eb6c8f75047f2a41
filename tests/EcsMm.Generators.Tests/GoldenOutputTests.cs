using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace EcsMm.Generators.Tests;

/// <summary>
/// Golden outputs: each <c>Cases/&lt;Case&gt;/Input.cs</c> is run through the generator and every generated file must
/// equal <c>Cases/&lt;Case&gt;/Expected/&lt;hint name&gt;</c> exactly. Set <c>UPDATE_GOLDENS=1</c> to rewrite the expected
/// files in the source tree from the current output (then review the diff).
/// </summary>
public sealed class GoldenOutputTests
{
    public static TheoryData<string> Cases => new() { "KernelSubset", "DefaultOps", "TwoDeclarations" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedFilesMatchTheGoldens(string name)
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(ReadInput(name)));
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);

        // When updating, compare against the files just written to the source tree (the copies next to the test
        // assembly are refreshed by the next build).
        var expectedDir = Environment.GetEnvironmentVariable("UPDATE_GOLDENS") == "1"
            ? WriteGoldens(name, result)
            : Path.Combine(AppContext.BaseDirectory, "Cases", name, "Expected");
        var expected = Directory.GetFiles(expectedDir, "*.g.cs").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var actual = result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        foreach (var source in result.GeneratedSources)
        {
            var golden = Normalize(File.ReadAllText(Path.Combine(expectedDir, source.HintName)));
            Assert.Equal(golden, Normalize(source.SourceText.ToString()));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedCodeCompilesWithoutErrorsOrWarnings(string name)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(ReadInput(name)));
        Assert.NotEmpty(result.GeneratedSources);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
    }

    [Fact]
    public void OutputIsTheSameTextOnEveryRun()
    {
        var input = GeneratorHarness.Compile(ReadInput("KernelSubset"));
        var first = GeneratorHarness.Run(input).Result.GeneratedSources.Single().SourceText.ToString();
        var second = GeneratorHarness.Run(GeneratorHarness.Compile(ReadInput("KernelSubset"))).Result.GeneratedSources.Single().SourceText.ToString();
        Assert.Equal(first, second);
    }

    [Fact]
    public void ReorderingTheEnumMembersDoesNotChangeTheOutput()
    {
        var text = ReadInput("KernelSubset");
        var reordered = text
            .Replace("    [FlagOps(FlagOps.TestSetClear)]\n    HwPoison = 21,\n", string.Empty, StringComparison.Ordinal)
            .Replace("public enum SampleFlag\n{\n", "public enum SampleFlag\n{\n    [FlagOps(FlagOps.TestSetClear)]\n    HwPoison = 21,\n", StringComparison.Ordinal);
        Assert.NotEqual(text, reordered);
        var a = GeneratorHarness.Run(GeneratorHarness.Compile(text)).Result.GeneratedSources.Single().SourceText.ToString();
        var b = GeneratorHarness.Run(GeneratorHarness.Compile(reordered)).Result.GeneratedSources.Single().SourceText.ToString();
        Assert.Equal(a, b);
    }

    [Fact]
    public void EnumNestedInAGenericTypeGetsAValidHintNameAndCompiles()
    {
        const string source = """
            using EcsMm.Ecs;

            namespace Nest;

            public sealed class Store
            {
                public readonly uint[] W = new uint[4];
            }

            public static class Holder<T>
            {
                [PageFlags(typeof(Store), nameof(Store.W), AccessorClass = "HeldFlagAccessors")]
                public enum Flags
                {
                    Only = 0,
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        Assert.Null(result.Exception);
        Assert.Equal("Nest.Holder_T_.Flags.Accessors.g.cs", result.GeneratedSources.Single().HintName);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
    }

    internal static string ReadInput(string name) =>
        Normalize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cases", name, "Input.cs")));

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string WriteGoldens(string name, GeneratorRunResult result, [CallerFilePath] string thisFile = "")
    {
        var dir = Path.Combine(Path.GetDirectoryName(thisFile)!, "Cases", name, "Expected");
        Directory.CreateDirectory(dir);
        foreach (var stale in Directory.GetFiles(dir, "*.g.cs"))
        {
            File.Delete(stale);
        }

        foreach (var source in result.GeneratedSources)
        {
            File.WriteAllText(Path.Combine(dir, source.HintName), Normalize(source.SourceText.ToString()));
        }

        return dir;
    }
}
