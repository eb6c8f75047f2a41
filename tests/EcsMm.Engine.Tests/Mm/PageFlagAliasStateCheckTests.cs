using System.Diagnostics;
using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>
/// The alias state check on the real <see cref="MemMap"/>: <c>PageReported</c> is meaningful only on a free block head
/// (<c>PageBuddy</c> or isolated), <c>PageZeroed</c> only on a free page. The generated accessors assert it with
/// <see cref="Debug.Assert(bool, string)"/>, so it runs when EcsMm.Engine is built in Debug and is compiled out in
/// Release (CI builds Release). Which of the two facts is tested depends on the configuration these tests are
/// built in; EcsMm.Generators.Tests exercises both configurations on every run.
/// </summary>
[Collection(nameof(PageFlagAliasStateCheckTests))]
public sealed class PageFlagAliasStateCheckTests
{
#if DEBUG
    [Fact]
    public void DebugBuildAssertsWhenPageReportedIsReadOnAnAllocatedPage()
    {
        var map = new MemMap(4);
        map.SetPageUptodate(2);
        using var capture = new ThrowingAssertions();
        var failure = Assert.Throws<AssertionFailedException>(() => map.PageReported(2));
        Assert.Contains("PG_reported", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DebugBuildAssertsWhenSetPageZeroedIsCalledOnAnAllocatedPage()
    {
        var map = new MemMap(4);
        using var capture = new ThrowingAssertions();
        Assert.Throws<AssertionFailedException>(() => map.SetPageZeroedNonAtomic(2));
    }
#else
    [Fact]
    public void ReleaseBuildReadsTheSharedBitWithoutAStateCheck()
    {
        // An allocated, up-to-date page: PageReported reads the Uptodate bit and nothing asserts.
        var map = new MemMap(4);
        map.SetPageUptodate(2);
        using var capture = new ThrowingAssertions();
        Assert.True(map.PageReported(2));
    }
#endif

    [Fact]
    public void AliasesInTheirValidStatesNeverAssert()
    {
        var map = new MemMap(4);
        map.SetPageType(0, PageType.Buddy);
        map.SetPageType(1, PageType.Isolated);
        map.SetPageType(2, PageType.Pcp);
        using var capture = new ThrowingAssertions();
        map.SetPageReportedNonAtomic(0);
        map.SetPageReportedNonAtomic(1);
        map.SetPageZeroedNonAtomic(2);
        Assert.True(map.PageReported(0) && map.PageReported(1) && map.PageZeroed(2));
    }

    /// <summary>Makes a failed Debug.Assert throw (instead of ending the process) while in scope.</summary>
    private sealed class ThrowingAssertions : IDisposable
    {
        private readonly TraceListener[] _saved;

        public ThrowingAssertions()
        {
            _saved = System.Diagnostics.Trace.Listeners.Cast<TraceListener>().ToArray();
            System.Diagnostics.Trace.Listeners.Clear();
            System.Diagnostics.Trace.Listeners.Add(new Listener());
        }

        public void Dispose()
        {
            System.Diagnostics.Trace.Listeners.Clear();
            System.Diagnostics.Trace.Listeners.AddRange(_saved);
        }

        private sealed class Listener : TraceListener
        {
            public override void Fail(string? message, string? detailMessage) => throw new AssertionFailedException(message ?? string.Empty);

            public override void Write(string? message)
            {
            }

            public override void WriteLine(string? message)
            {
            }
        }
    }

    private sealed class AssertionFailedException(string message) : Exception(message);
}

/// <summary>Tests that swap the process-wide trace listeners run alone.</summary>
[CollectionDefinition(nameof(PageFlagAliasStateCheckTests), DisableParallelization = true)]
public sealed class PageFlagAliasStateCheckCollection;
