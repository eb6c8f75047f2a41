using EcsMm.Mm;

namespace EcsMm.Trace;

/// <summary>Maps the GFP flags a 6.1 trace printed (by name) to the model's <see cref="Gfp"/>.</summary>
public static class GfpMapping
{
    private static readonly (GfpFlags Trace, Gfp Model)[] Bits =
    [
        (GfpFlags.Dma, Gfp.Dma), (GfpFlags.HighMem, Gfp.HighMem), (GfpFlags.Dma32, Gfp.Dma32),
        (GfpFlags.Movable, Gfp.Movable), (GfpFlags.Reclaimable, Gfp.Reclaimable), (GfpFlags.High, Gfp.High),
        (GfpFlags.Io, Gfp.Io), (GfpFlags.Fs, Gfp.Fs), (GfpFlags.Zero, Gfp.Zero),
        (GfpFlags.DirectReclaim, Gfp.DirectReclaim), (GfpFlags.KswapdReclaim, Gfp.KswapdReclaim),
        (GfpFlags.Write, Gfp.Write), (GfpFlags.NoWarn, Gfp.NoWarn), (GfpFlags.RetryMayFail, Gfp.RetryMayfail),
        (GfpFlags.NoFail, Gfp.NoFail), (GfpFlags.NoRetry, Gfp.NoRetry), (GfpFlags.MemAlloc, Gfp.MemAlloc),
        (GfpFlags.Comp, Gfp.Comp), (GfpFlags.NoMemAlloc, Gfp.NoMemAlloc), (GfpFlags.Hardwall, Gfp.HardWall),
        (GfpFlags.ThisNode, Gfp.ThisNode), (GfpFlags.Account, Gfp.Account), (GfpFlags.ZeroTags, Gfp.ZeroTags),
    ];

    public static Gfp ToModel(GfpFlags flags)
    {
        var gfp = Gfp.None;
        foreach (var (t, m) in Bits)
        {
            if ((flags & t) == t)
            {
                gfp |= m;
            }
        }

        return gfp;
    }
}
