using System.Globalization;

namespace EcsMm.Scenarios.Model;

/// <summary>Names of the points where /proc snapshots can be taken: boot, setup, iteration:N (1-based), end.</summary>
public static class SnapshotPoints
{
    public const string Boot = "boot";
    public const string Setup = "setup";
    public const string End = "end";

    public static string Iteration(int n) => "iteration:" + n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Null when <paramref name="point"/> is valid for a run of <paramref name="iterations"/>, else why not.</summary>
    public static string? Validate(string point, int iterations)
    {
        if (point is Boot or Setup or End)
        {
            return null;
        }

        if (point.StartsWith("iteration:", StringComparison.Ordinal)
            && int.TryParse(point.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n >= 1 && n <= iterations ? null : $"'{point}': iteration {n} is outside 1..{iterations}";
        }

        return $"'{point}' is not a snapshot point; expected boot, setup, end or iteration:N";
    }
}
