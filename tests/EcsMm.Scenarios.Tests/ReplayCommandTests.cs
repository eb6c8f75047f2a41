namespace EcsMm.Scenarios.Tests;

/// <summary>
/// ecsmm replay: TRACE --memory SIZE gives the final buddyinfo, file:line: reason and exit 2 on bad input; --from/--to
/// compares with a real snapshot, exit 1 on a mismatch.
/// </summary>
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

    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", "linux-6.1-qemu", file);

    [Fact]
    public void SnapshotFormReproducesTheNextRealSnapshot()
    {
        var r = Cli.Run(
            "replay", "--from", Data("buddydump.20_thp_never_64.i3.pre.txt.gz"), "--to", Data("buddydump.20_thp_never_64.i3.post.txt.gz"),
            Data("trace.txt.gz"), "--kernel", "6.1");
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        Assert.Contains(" 0 missing, 0 extra, 0 different, 0 misplaced", r.Out);
        Assert.Contains("match: every free block", r.Out);
    }

    [Fact]
    public void UnknownGfpNamesAreReplayedButWarnedAbout()
    {
        var trace = _dir.File("t.txt", Header + Alloc(0, 10).Replace("GFP_HIGHUSER_MOVABLE", "GFP_BOGUS|__GFP_WHAT", StringComparison.Ordinal));
        var r = Cli.Run("replay", trace, "--memory", "16M", "--buddyinfo");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("1 mm_page_alloc events name GFP flags this reader does not know (first at", r.Err);
        Assert.Contains("t.txt:3", r.Err);
    }

    [Fact]
    public void AMalformedLineSaysWhatWasExpectedAndShowsTheLine()
    {
        var trace = _dir.File("t.txt", Header + "            init-1       [000] .....    11.278656: mm_page_alloc: page=000000007629c84d pfn=zz order=0 migratetype=1 gfp_flags=GFP_KERNEL\n");
        var r = Cli.Run("replay", trace, "--memory", "16M");
        r.AssertUserError("t.txt:3: expected");
        Assert.Contains("pfn=zz", r.Err);
    }

    [Fact]
    public void SnapshotFormExits1WhenOnlyThePcpListsDiffer()
    {
        // After boot, pages taken by the untraced alloc_pages_bulk stay on a pcp list in the model (see docs/model.md).
        var r = Cli.Run(
            "replay", "--from", Data("buddydump.00_boot.txt.gz"), "--to", Data("buddydump.01_after_balloon_init.txt.gz"),
            Data("trace.txt.gz"), "--kernel", "6.1");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(" 0 missing, 0 extra, 0 different, 0 misplaced", r.Out);
        Assert.Contains("the pcp lists differ", r.Out);
    }

    [Fact]
    public void SnapshotFormExits1OnAMismatch()
    {
        // The 'post' name with the 'pre' contents: the replayed state cannot match it.
        var wrong = Path.Combine(_dir.Path, "buddydump.20_thp_never_64.i3.post.txt.gz");
        File.Copy(Data("buddydump.20_thp_never_64.i3.pre.txt.gz"), wrong);
        var r = Cli.Run("replay", "--from", Data("buddydump.20_thp_never_64.i3.pre.txt.gz"), "--to", wrong, Data("trace.txt.gz"), "--kernel", "6.1");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("MISMATCH", r.Out);
    }

    [Fact]
    public void SnapshotsInTheWrongOrderAreExit2()
    {
        var r = Cli.Run("replay", "--from", Data("buddydump.20_thp_never_64.i3.post.txt.gz"), "--to", Data("buddydump.20_thp_never_64.i3.pre.txt.gz"), Data("trace.txt.gz"));
        r.AssertUserError("comes before");
    }

    [Fact]
    public void FromWithoutToIsExit2()
    {
        var trace = _dir.File("t.txt", Header);
        Cli.Run("replay", "--from", Data("buddydump.20_thp_never_64.i3.pre.txt.gz"), trace).AssertUserError("--from and --to go together");
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
        Cli.Run("replay", trace).AssertUserError("--memory SIZE is required");
    }

    [Fact]
    public void ACorruptGzipTraceIsTheUsersInput_NotAnInternalError()
    {
        var bad = Path.Combine(_dir.Path, "bad.txt.gz");
        var bytes = File.ReadAllBytes(Data("buddydump.00_boot.txt.gz"));
        bytes[2] = 99; // the compression method byte
        File.WriteAllBytes(bad, bytes);
        Cli.Run("replay", bad, "--memory", "1G").AssertUserError("bad.txt.gz", "corrupt gzip");
    }

    [Fact]
    public void AnEmptyTraceIsRefused_PlainOrGzip()
    {
        var plain = Path.Combine(_dir.Path, "empty.txt");
        File.WriteAllText(plain, "");
        Cli.Run("replay", plain, "--memory", "1G").AssertUserError("empty.txt", "no trace events");

        var gz = Path.Combine(_dir.Path, "empty.txt.gz");
        using (var f = File.Create(gz))
        using (new System.IO.Compression.GZipStream(f, System.IO.Compression.CompressionLevel.Optimal))
        {
        }

        Cli.Run("replay", gz, "--memory", "1G").AssertUserError("empty.txt.gz", "no trace events");
        Cli.Run("replay", "--from", Data("buddydump.00_boot.txt.gz"), "--to", Data("buddydump.01_after_balloon_init.txt.gz"), plain)
            .AssertUserError("empty.txt", "no trace events");
    }

    [Fact]
    public void ATruncatedGzipTraceIsRefused_NotReplayedAsAPrefix()
    {
        var cut = Path.Combine(_dir.Path, "buddydump.00_boot.txt.gz");
        var bytes = File.ReadAllBytes(Data("buddydump.00_boot.txt.gz"));
        File.WriteAllBytes(cut, bytes[..^4]);
        Cli.Run("replay", "--from", cut, "--to", Data("buddydump.01_after_balloon_init.txt.gz"), Data("trace.txt.gz"))
            .AssertUserError("buddydump.00_boot.txt.gz", "truncated");
    }

    [Fact]
    public void ADumpBlockOutsideItsZoneOrAnEmptyDumpIsRefusedWithItsLine()
    {
        var oob = Path.Combine(_dir.Path, "buddydump.00_boot.txt");
        File.WriteAllText(oob, "Z DMA 1 4095 3998 3840 3808 177 221 265 0\nF DMA 5 0 0 999999 0\n");
        Cli.Run("replay", "--from", oob, "--to", Data("buddydump.01_after_balloon_init.txt.gz"), Data("trace.txt.gz"))
            .AssertUserError("buddydump.00_boot.txt:2", "inside zone DMA");

        File.WriteAllText(oob, "");
        Cli.Run("replay", "--from", oob, "--to", Data("buddydump.01_after_balloon_init.txt.gz"), Data("trace.txt.gz"))
            .AssertUserError("buddydump.00_boot.txt", "at least one 'Z'");
    }

    [Fact]
    public void AToDumpMissingAZoneIsADifference_NotAMatch()
    {
        using var reader = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(Data("buddydump.01_after_balloon_init.txt.gz")), System.IO.Compression.CompressionMode.Decompress));
        var dmaOnly = reader.ReadToEnd().Split('\n').Where(l => l.Split(' ') is { Length: > 1 } f && f[1] != "DMA32");
        var to = Path.Combine(_dir.Path, "buddydump.01_after_balloon_init.txt");
        File.WriteAllLines(to, dmaOnly);
        var r = Cli.Run("replay", "--from", Data("buddydump.00_boot.txt.gz"), "--to", to, Data("trace.txt.gz"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("DMA32: a zone of the guest, absent from the dump", r.Out);
    }
}
