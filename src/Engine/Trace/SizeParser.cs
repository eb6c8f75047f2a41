using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EcsMm.Trace;

/// <summary>
/// Parses memory sizes such as <c>--memory 1G</c>: a whole number with an optional suffix K, M, G or T in
/// binary units (KiB = 1024 bytes), case-insensitive, optionally followed by <c>B</c> or <c>iB</c>
/// (<c>64M</c>, <c>64MiB</c>, <c>64mb</c>); no suffix means bytes. The size must be greater than zero.
/// </summary>
public static class SizeParser
{
    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> with the reason.</summary>
    public static ulong Parse(string text) =>
        TryParse(text, out ulong bytes, out string? error) ? bytes : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/> into bytes; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out ulong bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = 0;
        error = null;
        ReadOnlySpan<char> s = (text ?? string.Empty).AsSpan().Trim();
        if (s.IsEmpty)
        {
            error = "memory size is empty; expected a number with an optional K, M, G or T suffix, e.g. 1G";
            return false;
        }

        int digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        if (digits == 0)
        {
            error = $"memory size '{text}' must start with a whole number (K, M, G, T suffixes, binary units), e.g. 512M";
            return false;
        }

        if (!ulong.TryParse(s[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out ulong number))
        {
            error = $"memory size '{text}' is too large";
            return false;
        }

        ReadOnlySpan<char> suffix = s[digits..].TrimStart();
        int shift;
        if (suffix.IsEmpty || suffix.Equals("B", StringComparison.OrdinalIgnoreCase))
        {
            shift = 0;
        }
        else
        {
            shift = char.ToUpperInvariant(suffix[0]) switch
            {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => -1,
            };
            ReadOnlySpan<char> unitTail = suffix[1..];
            bool tailOk = unitTail.IsEmpty
                          || unitTail.Equals("B", StringComparison.OrdinalIgnoreCase)
                          || unitTail.Equals("iB", StringComparison.OrdinalIgnoreCase);
            if (shift < 0 || !tailOk)
            {
                error = $"memory size '{text}' has an unknown unit '{suffix}'; expected K, M, G or T (binary units)";
                return false;
            }
        }

        if (number == 0)
        {
            error = $"memory size '{text}' must be greater than zero";
            return false;
        }

        if (shift > 0 && number > (ulong.MaxValue >> shift))
        {
            error = $"memory size '{text}' is too large";
            return false;
        }

        bytes = number << shift;
        return true;
    }
}
