using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EcsMm.Generators;

/// <summary>
/// A location kept as plain data (path and span) so the model stays equatable; turned back into a
/// <see cref="Location"/> only when a diagnostic is reported.
/// </summary>
internal static class LocationText
{
    public static string Of(Location location)
    {
        var span = location.GetLineSpan();
        return $"{span.Path}|{location.SourceSpan.Start}|{location.SourceSpan.Length}|{span.StartLinePosition.Line}|{span.StartLinePosition.Character}|{span.EndLinePosition.Line}|{span.EndLinePosition.Character}";
    }

    public static Location ToLocation(string text)
    {
        var parts = text.Split('|');
        if (parts.Length != 7)
        {
            return Location.None;
        }

        var span = new TextSpan(int.Parse(parts[1]), int.Parse(parts[2]));
        var lines = new LinePositionSpan(
            new LinePosition(int.Parse(parts[3]), int.Parse(parts[4])),
            new LinePosition(int.Parse(parts[5]), int.Parse(parts[6])));
        return Location.Create(parts[0], span, lines);
    }
}
