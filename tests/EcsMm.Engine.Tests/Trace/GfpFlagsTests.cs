using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

public sealed class GfpFlagsTests
{
    [Fact]
    public void CompositeMasksHaveTheLinux61Values()
    {
        // Values from the capture's format_mm_page_alloc.txt (gfp_types.h of 6.1).
        Assert.Equal(0xcc0u, (uint)GfpFlags.Kernel);
        Assert.Equal(0x400cc0u, (uint)GfpFlags.KernelAccount);
        Assert.Equal(0x100cc0u, (uint)GfpFlags.User);
        Assert.Equal(0x100cc2u, (uint)GfpFlags.HighUser);
        Assert.Equal(0x100ccau, (uint)GfpFlags.HighUserMovable);
        Assert.Equal(0x1c20cau, (uint)GfpFlags.TransHugeLight);
        Assert.Equal(0x1c24cau, (uint)GfpFlags.TransHuge);
        Assert.Equal(0x800u, (uint)GfpFlags.NoWait);
        Assert.Equal(0xa20u, (uint)GfpFlags.GfpAtomic);
        Assert.Equal(0x40000u, (uint)GfpFlags.Comp);
        Assert.Equal(0x100u, (uint)GfpFlags.Zero);
    }

    [Fact]
    public void ParsesCompositeAndSingleNames()
    {
        Assert.True(GfpFlagsText.TryParse("GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO", out GfpFlags flags, out bool unknown));
        Assert.False(unknown);
        Assert.Equal(GfpFlags.HighUserMovable | GfpFlags.Comp | GfpFlags.Zero, flags);
        Assert.True((flags & GfpFlags.Movable) != 0);

        Assert.True(GfpFlagsText.TryParse("GFP_TRANSHUGE_LIGHT|__GFP_NORETRY|__GFP_THISNODE", out flags, out _));
        Assert.Equal(GfpFlags.TransHugeLight | GfpFlags.NoRetry | GfpFlags.ThisNode, flags);
        Assert.Equal(GfpFlags.None, flags & GfpFlags.Reclaim);
    }

    [Fact]
    public void RawHexAndNoneAreAccepted()
    {
        Assert.True(GfpFlagsText.TryParse("0x400cc0", out GfpFlags flags, out _));
        Assert.Equal(GfpFlags.KernelAccount, flags);
        Assert.True(GfpFlagsText.TryParse("GFP_KERNEL|0x1000000", out flags, out bool unknown));
        Assert.Equal((GfpFlags)0x1000cc0u, flags);
        Assert.False(unknown);
        Assert.True(GfpFlagsText.TryParse("none", out flags, out _));
        Assert.Equal(GfpFlags.None, flags);
    }

    [Fact]
    public void UnknownNamesAreKeptAndFlaggedNotAnError()
    {
        Assert.True(GfpFlagsText.TryParse("GFP_KERNEL|__GFP_NO_OBJ_EXT", out GfpFlags flags, out bool unknown));
        Assert.True(unknown);
        Assert.Equal(GfpFlags.Kernel, flags);

        TraceEvent? ev = FtraceReader.ParseLine("mm_page_alloc: page=... pfn=0x10 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NO_OBJ_EXT");
        Assert.NotNull(ev);
        Assert.True(ev.Value.GfpHasUnknownNames);
        Assert.Equal("GFP_KERNEL|__GFP_NO_OBJ_EXT", ev.Value.GfpText);
        Assert.Equal(GfpFlags.Kernel, ev.Value.GfpFlags);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GFP_KERNEL||__GFP_ZERO")]
    [InlineData("0xZZ")]
    [InlineData("GFP_KERNEL|")]
    public void MalformedTextIsRejected(string text) => Assert.False(GfpFlagsText.TryParse(text, out _, out _));

    [Fact]
    public void FormatPrintsCompositeNamesFirstLikeShowGfpFlags()
    {
        Assert.Equal("GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO", GfpFlagsText.Format(GfpFlags.HighUserMovable | GfpFlags.Comp | GfpFlags.Zero));
        Assert.Equal("__GFP_IO|__GFP_FS|__GFP_NOWARN", GfpFlagsText.Format(GfpFlags.Io | GfpFlags.Fs | GfpFlags.NoWarn));
        Assert.Equal("GFP_KERNEL|0x1000000", GfpFlagsText.Format((GfpFlags)0x1000cc0u));
        Assert.Equal("none", GfpFlagsText.Format(GfpFlags.None));
    }

    [Fact]
    public void EveryGfpTextInTheShippedTraceRoundTrips()
    {
        var texts = new HashSet<string>();
        using var reader = FtraceReader.Open(TraceData.TracePath);
        foreach (TraceEvent ev in reader.ReadAll())
        {
            if (ev.Kind == TraceEventKind.PageAlloc && texts.Add(ev.GfpText!))
            {
                Assert.Equal(ev.GfpText, GfpFlagsText.Format(ev.GfpFlags));
            }
        }

        // zcat trace.txt.gz | grep -o 'gfp_flags=[^ ]*' | sort -u | wc -l  ->  23
        Assert.Equal(23, texts.Count);
    }
}
