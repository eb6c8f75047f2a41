namespace EcsMm.Scenarios.Tests;

/// <summary>ecsmm replay TRACE --memory SIZE: the final buddyinfo on success; file:line: reason and exit 2 on bad input.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private const string Header = "# tracer: nop\n#\n";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Alloc(long pfn, int order) =>
        $"            init-1       [000] .....    11.278656: mm_page_alloc: page=000000007629c84d pfn=0x{pfn:x} order={order} migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE\n";

    [Fact]
    public void ReplayPrintsTheFinalBuddyInfo()
    {
        // One order-10 allocation at PFN 0 of a 16 MiB guest: 3 free order-10 blocks remain.
        var trace = _dir.File("t.txt", Header + Alloc(0, 10));
        var r = Cli.Run("replay", trace, "--memory", "16M", "--buddyinfo");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      3 \n", r.Out.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAllocationOfATakenBlockNamesTheLine()
    {
        var trace = _dir.File("t.txt", Header + Alloc(0, 10) + Alloc(0, 0));
        var r = Cli.Run("replay", trace, "--memory", "16M");
        r.AssertUserError("t.txt:4:");
    }

    [Fact]
    public void MissingTraceIsExit2()
    {
        Cli.Run("replay", _dir.Combine("none.txt"), "--memory", "1G").AssertUserError("none.txt: trace file not found");
    }

    [Fact]
    public void BadMemorySizeIsExit2()
    {
        var trace = _dir.File("t.txt", Header);
        Cli.Run("replay", trace, "--memory", "-3G").AssertUserError("--memory:");
    }

    [Fact]
    public void MissingMemoryOptionIsExit2()
    {
        var trace = _dir.File("t.txt", Header);
        var r = Cli.Run("replay", trace);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--memory", r.Err);
    }
}
