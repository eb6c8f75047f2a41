using System.Globalization;

namespace EcsMm.Scenarios.Model;

/// <summary>Formats byte counts the way scenario files write them: the largest binary unit that divides exactly.</summary>
internal static class SizeText
{
    public static string Format(long bytes)
    {
        if (bytes == 0)
        {
            return "0";
        }

        ReadOnlySpan<(int Shift, string Unit)> units = [(40, "T"), (30, "G"), (20, "M"), (10, "K")];
        foreach (var (shift, unit) in units)
        {
            if (bytes % (1L << shift) == 0)
            {
                return (bytes >> shift).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
