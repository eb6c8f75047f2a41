using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EcsMm.Generators.Tests;

/// <summary>
/// The alias state check (an alias is read or set only in the page state it is declared valid in) runs in
/// Debug builds and is compiled out of Release builds. Both configurations are compiled here from the
/// KernelSubset case and executed, so the check is exercised whatever configuration the tests are built in.
/// </summary>
[Collection(nameof(AssertionCapture))]
public sealed class AliasStateCheckTests
{
    private const int Allocated = 0, Buddy = 1, Pcp = 3;

    [Fact]
    public void DebugBuildAssertsWhenPageReportedIsReadOnAnAllocatedPage()
    {
        var api = Load(GeneratorHarness.DebugParse);
        var pages = api.NewPages(Allocated);
        using var capture = new AssertionCapture();
        var failure = Assert.Throws<AssertionFailedException>(() => api.Call("PageReported", pages));
        Assert.Contains("PG_reported (alias of PG_uptodate)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DebugBuildAssertsWhenSetPageZeroedIsCalledOnAnAllocatedPage()
    {
        var api = Load(GeneratorHarness.DebugParse);
        var pages = api.NewPages(Allocated);
        using var capture = new AssertionCapture();
        Assert.Throws<AssertionFailedException>(() => api.Call("SetPageZeroedNonAtomic", pages));
    }

    [Fact]
    public void DebugBuildAllowsTheAliasInItsValidState()
    {
        var api = Load(GeneratorHarness.DebugParse);
        var buddy = api.NewPages(Buddy);
        var pcp = api.NewPages(Pcp);
        using var capture = new AssertionCapture();
        api.Call("SetPageReportedNonAtomic", buddy);
        Assert.Equal(true, api.Call("PageReported", buddy));
        api.Call("SetPageZeroedNonAtomic", pcp);
        Assert.Equal(true, api.Call("PageZeroed", pcp));
    }

    [Fact]
    public void DebugBuildDoesNotCheckTheStateWhenClearing()
    {
        // __ClearPageZeroed / TestClearPageZeroed run in post_alloc_hook after the page left the free lists.
        var api = Load(GeneratorHarness.DebugParse);
        var pages = api.NewPages(Allocated);
        using var capture = new AssertionCapture();
        api.Call("ClearPageReportedNonAtomic", pages);
        api.Call("ClearPageZeroedNonAtomic", pages);
        Assert.Equal(false, api.Call("TestClearPageZeroed", pages));
    }

    [Fact]
    public void ReleaseBuildCompilesTheCheckOut()
    {
        var api = Load(GeneratorHarness.ReleaseParse);
        var pages = api.NewPages(Allocated);
        using var capture = new AssertionCapture();
        Assert.Equal(false, api.Call("PageReported", pages));
        api.Call("SetPageZeroedNonAtomic", pages);
        Assert.Equal(true, api.Call("PageZeroed", pages));
    }

    /// <summary>Compiles KernelSubset with the generated accessors under <paramref name="parse"/> and loads it.</summary>
    private static Api Load(CSharpParseOptions parse)
    {
        var input = GeneratorHarness.Compile([("Input.cs", GoldenOutputTests.ReadInput("KernelSubset"))], parse);
        var driver = GeneratorHarness.CreateDriver(parse: parse).RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        output = output.WithOptions(((CSharpCompilationOptions)output.Options).WithOptimizationLevel(
            parse.PreprocessorSymbolNames.Contains("DEBUG") ? OptimizationLevel.Debug : OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emit = output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("AliasStateCheck", isCollectible: true);
        return new Api(context.LoadFromStream(image));
    }

    private sealed class Api(Assembly assembly)
    {
        private readonly Type _pages = assembly.GetType("Sample.Mm.Pages", throwOnError: true)!;
        private readonly Type _accessors = assembly.GetType("Sample.Mm.SampleFlagAccessors", throwOnError: true)!;

        /// <summary>Four pages; page 2 has <paramref name="type"/> in bits 28..31.</summary>
        public object NewPages(int type)
        {
            var pages = Activator.CreateInstance(_pages, 4)!;
            var flags = (uint[])_pages.GetField("Flags")!.GetValue(pages)!;
            flags[2] = (uint)type << 28;
            return pages;
        }

        public object? Call(string method, object pages)
        {
            try
            {
                return _accessors.GetMethod(method)!.Invoke(null, [pages, 2]);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}

/// <summary>Tests that swap the process-wide trace listeners run one at a time.</summary>
[CollectionDefinition(nameof(AssertionCapture), DisableParallelization = true)]
public sealed class AssertionCaptureCollection;
