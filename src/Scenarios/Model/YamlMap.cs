using System.Globalization;
using EcsMm.Scenarios.Cli;
using YamlDotNet.RepresentationModel;

namespace EcsMm.Scenarios.Model;

/// <summary>
/// A YAML mapping read with line numbers: every getter records the key it consumed, <see cref="RejectUnknownKeys"/>
/// names any key left over. Errors name the file, the line of the offending node and the full dotted key.
/// </summary>
internal sealed class YamlMap
{
    private readonly HashSet<string> _known = [];

    public YamlMap(YamlSource source, YamlMappingNode node, string path)
    {
        Source = source;
        Node = node;
        Path = path;
    }

    public YamlSource Source { get; }

    public YamlMappingNode Node { get; }

    /// <summary>The dotted key of this mapping ("" for the root).</summary>
    public string Path { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public YamlNode? Get(string key)
    {
        _known.Add(key);
        foreach (var (k, v) in Node.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    public UserInputException Error(YamlNode node, string key, string message) => Source.Error(node, KeyPath(key), message);

    public string? String(string key, IReadOnlyList<string>? allowed = null)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        var text = ScalarText(node, key, allowed is null ? "a string" : OneOf(allowed));
        if (allowed is not null && !allowed.Contains(text))
        {
            throw Error(node, key, $"'{text}' is not allowed; expected {OneOf(allowed)}");
        }

        return text;
    }

    public long? Integer(string key, long min, long max)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        return IntegerValue(node, key, min, max);
    }

    public long IntegerValue(YamlNode node, string key, long min, long max)
    {
        var text = ScalarText(node, key, $"a whole number in {min}..{max}");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            throw Error(node, key, $"'{text}' is not a whole number; expected a whole number in {min}..{max}");
        }

        if (v < min || v > max)
        {
            throw Error(node, key, $"{v} is out of range; expected a whole number in {min}..{max}");
        }

        return v;
    }

    public double? Number(string key, double min, double max)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        var text = ScalarText(node, key, $"a number in {min}..{max}");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            throw Error(node, key, $"'{text}' is not a number; expected a number in {min}..{max}");
        }

        if (v < min || v > max)
        {
            throw Error(node, key, $"{text} is out of range; expected a number in {min}..{max}");
        }

        return v;
    }

    public bool? Bool(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        var text = ScalarText(node, key, "true or false");
        return text switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw Error(node, key, $"'{text}' is not a boolean; expected true or false"),
        };
    }

    /// <summary>A size in bytes: a whole number with an optional K, M, G or T suffix (binary units); 0 when <paramref name="allowZero"/>.</summary>
    public long? Size(string key, long min, long max, bool allowZero = false)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        return SizeValue(node, key, min, max, allowZero);
    }

    public long SizeValue(YamlNode node, string key, long min, long max, bool allowZero = false)
    {
        var expected = $"a size from {SizeText.Format(min)} to {SizeText.Format(max)} (a whole number with an optional K, M, G or T suffix){(allowZero ? ", or 0" : "")}";
        var text = ScalarText(node, key, expected);
        if (allowZero && text.Trim() == "0")
        {
            return 0;
        }

        if (text.TrimStart().StartsWith('-'))
        {
            throw Error(node, key, $"'{text}' is negative; expected {expected}");
        }

        if (!Trace.SizeParser.TryParse(text, out var bytes, out var why))
        {
            throw Error(node, key, $"{why}; expected {expected}");
        }

        if (bytes > (ulong)max || (long)bytes < min)
        {
            throw Error(node, key, $"{text} is out of range; expected {expected}");
        }

        return (long)bytes;
    }

    public YamlMap? Map(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode m)
        {
            throw Error(node, key, "expected a mapping (key: value lines)");
        }

        return new YamlMap(Source, m, KeyPath(key));
    }

    public YamlSequenceNode? Sequence(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is YamlSequenceNode s)
        {
            return s;
        }

        throw Error(node, key, "expected a list ([a, b] or '- item' lines)");
    }

    public void RejectUnknownKeys()
    {
        foreach (var (k, _) in Node.Children)
        {
            var name = k is YamlScalarNode s ? s.Value ?? "" : "(not a scalar)";
            if (!_known.Contains(name))
            {
                var expected = _known.Count == 0 ? "no keys here" : $"one of: {string.Join(", ", _known)}";
                throw Source.Error(k, KeyPath(name), $"unknown key; expected {expected}");
            }
        }
    }

    public string ScalarText(YamlNode node, string key, string expected)
    {
        if (node is not YamlScalarNode s || s.Value is null || IsNull(node))
        {
            throw Error(node, key, $"expected {expected}");
        }

        return s.Value;
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Value: null or "" or "~" or "null" } s && s.Style == YamlDotNet.Core.ScalarStyle.Plain;

    public static string OneOf(IReadOnlyList<string> allowed) => allowed.Count == 1 ? allowed[0] : $"one of {string.Join(", ", allowed)}";
}
