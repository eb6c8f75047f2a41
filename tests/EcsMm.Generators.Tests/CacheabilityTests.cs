using System.Collections;
using System.Reflection;
using EcsMm.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EcsMm.Generators.Tests;

/// <summary>
/// The generator is incremental: a second run over an unchanged compilation, or over one with an unrelated
/// edit, finds every tracked step Cached or Unchanged; and its models hold only plain data (no symbols, syntax,
/// locations or compilations), which is what makes that caching possible.
/// </summary>
public sealed class CacheabilityTests
{
    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(SemanticModel), typeof(Location),
    ];

    [Fact]
    public void SecondRunOverAnUnchangedCompilationIsAllCached()
    {
        var input = GeneratorHarness.Compile(GoldenOutputTests.ReadInput("KernelSubset"));
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(input);
        var second = driver.RunGenerators(input.Clone()).GetRunResult().Results.Single();

        AssertAllCached(second, TrackingNames.Model);
        AssertOutputsCached(second);
    }

    [Fact]
    public void UnrelatedEditLeavesTheModelCached()
    {
        var input = GeneratorHarness.Compile(GoldenOutputTests.ReadInput("KernelSubset"));
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(input);
        var edited = input.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Sample; public static class Unrelated { public const int X = 1; }", GeneratorHarness.ReleaseParse, "Unrelated.cs"));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllCached(second, TrackingNames.Model);
        AssertOutputsCached(second);
    }

    [Fact]
    public void EditingTheDeclarationModifiesTheModel()
    {
        // The control for the two tests above: a real change must not be served from the cache.
        var text = GoldenOutputTests.ReadInput("KernelSubset");
        var input = GeneratorHarness.Compile(text);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(input);
        var oldTree = input.SyntaxTrees.Single();
        var newTree = oldTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text.Replace("HwPoison = 21", "HwPoison = 20", StringComparison.Ordinal)));
        var second = driver.RunGenerators(input.ReplaceSyntaxTree(oldTree, newTree)).GetRunResult().Results.Single();

        var reasons = second.TrackedSteps[TrackingNames.Model].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains("1u << 20", second.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ModelsHoldNoSymbolsSyntaxLocationsOrCompilations()
    {
        var input = GeneratorHarness.Compile(GoldenOutputTests.ReadInput("KernelSubset"));
        var result = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(input).GetRunResult().Results.Single();
        var models = result.TrackedSteps[TrackingNames.Model].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
        Assert.NotEmpty(models);

        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var model in models)
        {
            Walk(model, "model", visited);
        }

        // Every flag of the declaration was walked (6 flags + the set), so the walk really went into the arrays.
        Assert.True(visited.Count >= 7, $"walked only {visited.Count} objects");
    }

    [Fact]
    public void ModelTypesDeclareNoForbiddenFieldTypes()
    {
        // A static check, so a field that happens to be null in the sample still counts.
        var modelTypes = typeof(PageFlagsGenerator).Assembly.GetTypes().Where(t => t.Name is "FlagSetModel" or "FlagModel").ToList();
        Assert.Equal(2, modelTypes.Count);
        foreach (var type in modelTypes)
        {
            foreach (var field in AllFields(type))
            {
                Assert.DoesNotContain(Forbidden, f => f.IsAssignableFrom(field.FieldType));
                Assert.True(field.FieldType == typeof(string) || field.FieldType.IsValueType, $"{type.Name}.{field.Name} is {field.FieldType}");
            }
        }
    }

    private static void AssertAllCached(GeneratorRunResult result, string step)
    {
        Assert.True(result.TrackedSteps.ContainsKey(step), $"no tracked step '{step}'");
        var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
    }

    private static void AssertOutputsCached(GeneratorRunResult result)
    {
        var outputs = result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {o.Reason}"));
    }

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        var type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsInstanceOfType(value)), $"{path} is a {type}");
        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence)
            {
                Walk(item, $"{path}[{i++}]", visited);
            }
        }

        foreach (var field in AllFields(type))
        {
            Walk(field.GetValue(value), $"{path}.{field.Name}", visited);
        }
    }

    private static IEnumerable<FieldInfo> AllFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }
}
