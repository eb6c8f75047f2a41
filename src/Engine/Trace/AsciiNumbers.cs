namespace EcsMm.Trace;

/// <summary>Strict, allocation-free number parsing over ASCII bytes (no sign, no spaces, overflow checked).</summary>
internal static class AsciiNumbers
{
    /// <summary>Parses a non-empty run of decimal digits.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return text.Length > 18 && TryParseDecimalSlow(text, out value);
        }

        long v = 0;
        foreach (byte c in text)
        {
            uint d = (uint)(c - '0');
            if (d > 9)
            {
                return false;
            }

            v = (v * 10) + d;
        }

        value = v;
        return true;
    }

    private static bool TryParseDecimalSlow(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        long v = 0;
        foreach (byte c in text)
        {
            uint d = (uint)(c - '0');
            if (d > 9)
            {
                return false;
            }

            if (v > (long.MaxValue - d) / 10)
            {
                return false;
            }

            v = (v * 10) + d;
        }

        value = v;
        return true;
    }

    /// <summary>Parses a non-empty run of hex digits (no prefix), at most 16 of them.</summary>
    public static bool TryParseHexDigits(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 16)
        {
            return false;
        }

        ulong v = 0;
        foreach (byte c in text)
        {
            uint d;
            if ((uint)(c - '0') <= 9)
            {
                d = (uint)(c - '0');
            }
            else if ((uint)((c | 0x20) - 'a') <= 5)
            {
                d = (uint)((c | 0x20) - 'a' + 10);
            }
            else
            {
                return false;
            }

            v = (v << 4) | d;
        }

        value = v;
        return true;
    }

    /// <summary>Parses <c>0x</c>-prefixed hex (required prefix).</summary>
    public static bool TryParsePrefixedHex(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        return text.Length > 2 && text[0] == '0' && (text[1] | 0x20) == 'x' && TryParseHexDigits(text[2..], out value);
    }

    /// <summary>Parses a PFN: <c>0x</c>-prefixed hex or decimal, non-negative and within <see cref="long"/>.</summary>
    public static bool TryParsePfn(ReadOnlySpan<byte> text, out long pfn)
    {
        pfn = -1;
        if (text.Length > 2 && text[0] == '0' && (text[1] | 0x20) == 'x')
        {
            if (!TryParseHexDigits(text[2..], out ulong hex) || hex > long.MaxValue)
            {
                return false;
            }

            pfn = (long)hex;
            return true;
        }

        return TryParseDecimal(text, out pfn);
    }

    /// <summary>Parses an ftrace timestamp <c>seconds[.fraction]</c> (fraction up to 9 digits) into nanoseconds.</summary>
    public static bool TryParseTimestampNs(ReadOnlySpan<byte> text, out long ns)
    {
        ns = -1;
        int dot = text.IndexOf((byte)'.');
        ReadOnlySpan<byte> secondsText = dot < 0 ? text : text[..dot];
        if (!TryParseDecimal(secondsText, out long seconds) || seconds > long.MaxValue / 1_000_000_000L - 1)
        {
            return false;
        }

        long fraction = 0;
        if (dot >= 0)
        {
            ReadOnlySpan<byte> fractionText = text[(dot + 1)..];
            if (fractionText.Length is 0 or > 9 || !TryParseDecimal(fractionText, out fraction))
            {
                return false;
            }

            for (int i = fractionText.Length; i < 9; i++)
            {
                fraction *= 10;
            }
        }

        ns = (seconds * 1_000_000_000L) + fraction;
        return true;
    }
}
