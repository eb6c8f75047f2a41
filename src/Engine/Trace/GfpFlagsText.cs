using System.Globalization;

namespace EcsMm.Trace;

/// <summary>
/// Parses and prints the <c>gfp_flags=</c> text of <c>mm_page_alloc</c> the way the kernel's
/// <c>__print_flags</c> writes it: names joined by <c>|</c>, composite GFP_* names first, leftover bits as hex,
/// <c>none</c> for zero. Unknown names are not an error: they are reported so the caller can keep and flag them.
/// </summary>
public static class GfpFlagsText
{
    /// <summary>The kernel 6.1 print table, in the order <c>show_gfp_flags</c> tries it.</summary>
    private static readonly (string Name, GfpFlags Mask)[] PrintTable =
    [
        ("GFP_TRANSHUGE", GfpFlags.TransHuge),
        ("GFP_TRANSHUGE_LIGHT", GfpFlags.TransHugeLight),
        ("GFP_HIGHUSER_MOVABLE", GfpFlags.HighUserMovable),
        ("GFP_HIGHUSER", GfpFlags.HighUser),
        ("GFP_USER", GfpFlags.User),
        ("GFP_KERNEL_ACCOUNT", GfpFlags.KernelAccount),
        ("GFP_KERNEL", GfpFlags.Kernel),
        ("GFP_NOFS", GfpFlags.NoFs),
        ("GFP_ATOMIC", GfpFlags.GfpAtomic),
        ("GFP_NOIO", GfpFlags.NoIo),
        ("GFP_NOWAIT", GfpFlags.NoWait),
        ("GFP_DMA", GfpFlags.Dma),
        ("__GFP_HIGHMEM", GfpFlags.HighMem),
        ("GFP_DMA32", GfpFlags.Dma32),
        ("__GFP_HIGH", GfpFlags.High),
        ("__GFP_ATOMIC", GfpFlags.Atomic),
        ("__GFP_IO", GfpFlags.Io),
        ("__GFP_FS", GfpFlags.Fs),
        ("__GFP_NOWARN", GfpFlags.NoWarn),
        ("__GFP_RETRY_MAYFAIL", GfpFlags.RetryMayFail),
        ("__GFP_NOFAIL", GfpFlags.NoFail),
        ("__GFP_NORETRY", GfpFlags.NoRetry),
        ("__GFP_COMP", GfpFlags.Comp),
        ("__GFP_ZERO", GfpFlags.Zero),
        ("__GFP_NOMEMALLOC", GfpFlags.NoMemAlloc),
        ("__GFP_MEMALLOC", GfpFlags.MemAlloc),
        ("__GFP_HARDWALL", GfpFlags.Hardwall),
        ("__GFP_THISNODE", GfpFlags.ThisNode),
        ("__GFP_RECLAIMABLE", GfpFlags.Reclaimable),
        ("__GFP_MOVABLE", GfpFlags.Movable),
        ("__GFP_ACCOUNT", GfpFlags.Account),
        ("__GFP_WRITE", GfpFlags.Write),
        ("__GFP_RECLAIM", GfpFlags.Reclaim),
        ("__GFP_DIRECT_RECLAIM", GfpFlags.DirectReclaim),
        ("__GFP_KSWAPD_RECLAIM", GfpFlags.KswapdReclaim),
        ("__GFP_ZEROTAGS", GfpFlags.ZeroTags),
    ];

    private static readonly Dictionary<string, GfpFlags> ByName = BuildNameTable();

    private static Dictionary<string, GfpFlags> BuildNameTable()
    {
        var table = new Dictionary<string, GfpFlags>(StringComparer.Ordinal);
        foreach (var (name, mask) in PrintTable)
        {
            table[name] = mask;
        }

        // Spellings the print table does not use but that appear in kernel sources and other tools.
        table["__GFP_DMA"] = GfpFlags.Dma;
        table["__GFP_DMA32"] = GfpFlags.Dma32;
        return table;
    }

    /// <summary>
    /// Parses <paramref name="text"/>; returns the known bits and whether any name was unknown
    /// (unknown names contribute no bits). Empty text or a malformed hex token returns false.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out GfpFlags flags, out bool hasUnknownNames)
    {
        flags = GfpFlags.None;
        hasUnknownNames = false;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text.SequenceEqual("none"))
        {
            return true;
        }

        var lookup = ByName.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (Range range in text.Split('|'))
        {
            ReadOnlySpan<char> token = text[range];
            if (token.IsEmpty)
            {
                return false;
            }

            if (token.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                if (!uint.TryParse(token[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint raw))
                {
                    return false;
                }

                flags |= (GfpFlags)raw;
            }
            else if (lookup.TryGetValue(token, out GfpFlags mask))
            {
                flags |= mask;
            }
            else
            {
                hasUnknownNames = true;
            }
        }

        return true;
    }

    /// <summary>Formats <paramref name="flags"/> exactly as the 6.1 kernel prints them in a trace.</summary>
    public static string Format(GfpFlags flags)
    {
        if (flags == GfpFlags.None)
        {
            return "none";
        }

        var parts = new List<string>();
        GfpFlags left = flags;
        foreach (var (name, mask) in PrintTable)
        {
            if ((left & mask) == mask)
            {
                parts.Add(name);
                left &= ~mask;
            }
        }

        if (left != GfpFlags.None)
        {
            parts.Add("0x" + ((uint)left).ToString("x", CultureInfo.InvariantCulture));
        }

        return string.Join('|', parts);
    }
}
