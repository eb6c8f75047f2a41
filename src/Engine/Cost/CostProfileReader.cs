using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace EcsMm.Cost;

/// <summary>
/// Reads cost constants: the embedded costs.default.json, and cost profile files such as <c>ecsmm calibrate</c>
/// writes (a small YAML subset: <c>measured:</c> with the machine's zeroing bandwidths, and optionally
/// <c>constants:</c> overriding any constant by name). Bad input is a <see cref="CostProfileException"/> naming
/// the file, line and key.
/// </summary>
public static class CostProfileReader
{
    private const string DefaultResource = "EcsMm.Cost.costs.default.json";

    /// <summary>Keys of the <c>measured:</c> section and the constants each one sets.</summary>
    private static readonly Dictionary<string, string[]> MeasuredKeys = new(StringComparer.Ordinal)
    {
        ["zero_4k_bytes_per_second"] = [CostProfile.ZeroBw4K, CostProfile.HostZeroBw4K],
        ["zero_2m_bytes_per_second"] = [CostProfile.ZeroBw2M, CostProfile.HostZeroBw2M],
    };

    /// <summary>Metadata keys of the <c>measured:</c> section (kept as text, not constants).</summary>
    private static readonly HashSet<string> MeasuredMetadata = new(StringComparer.Ordinal) { "ecsmm_version", "ecsmm_commit" };

    /// <summary>The embedded default constants.</summary>
    public static CostProfile LoadDefault()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"embedded resource {DefaultResource} is missing");
        using var reader = new StreamReader(stream);
        return ParseConstants(reader.ReadToEnd(), "costs.default.json");
    }

    /// <summary>Parse a constants file in the format of costs.default.json.</summary>
    public static CostProfile ParseConstants(string json, string fileName)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new CostProfileException(fileName, (int)(e.LineNumber ?? 0) + 1, e.Path ?? "$", e.Message);
        }

        using (doc)
        {
            var root = doc.RootElement;
            var constants = new List<CostConstant>();
            var section = Child(root, "constants", fileName, json, JsonValueKind.Object);
            foreach (var p in section.EnumerateObject())
            {
                if (!CostProfile.Names.Contains(p.Name))
                {
                    throw new CostProfileException(fileName, LineOf(json, p.Name), p.Name, $"unknown cost constant (expected one of {string.Join(", ", CostProfile.Names)})");
                }

                var value = Child(p.Value, "value", fileName, json, JsonValueKind.Number, p.Name).GetDouble();
                var unit = Child(p.Value, "unit", fileName, json, JsonValueKind.String, p.Name).GetString()!;
                var source = Child(p.Value, "source", fileName, json, JsonValueKind.String, p.Name).GetString()!;
                if (!(value > 0) || !double.IsFinite(value))
                {
                    throw new CostProfileException(fileName, LineOf(json, p.Name), p.Name, $"expected a positive number, got {value}");
                }

                if (string.IsNullOrWhiteSpace(source))
                {
                    throw new CostProfileException(fileName, LineOf(json, p.Name), p.Name, "every constant needs a source (a citation, or 'fitted: ...')");
                }

                constants.Add(new CostConstant(p.Name, value, unit, source));
            }

            foreach (var name in CostProfile.Names)
            {
                if (!constants.Exists(c => c.Name == name))
                {
                    throw new CostProfileException(fileName, LineOf(json, "constants"), name, "missing constant");
                }
            }

            var t = Child(root, "calibration_target", fileName, json, JsonValueKind.Object);
            var target = new CalibrationTarget(
                Child(t, "scenario", fileName, json, JsonValueKind.String).GetString()!,
                Child(t, "mode", fileName, json, JsonValueKind.String).GetString()!,
                Child(t, "task_clock_ms", fileName, json, JsonValueKind.Number).GetDouble(),
                Child(t, "cache_misses", fileName, json, JsonValueKind.Number).GetDouble(),
                Child(t, "instructions", fileName, json, JsonValueKind.Number).GetDouble(),
                Child(t, "source", fileName, json, JsonValueKind.String).GetString()!);
            return new CostProfile(constants, target, fileName);
        }
    }

    /// <summary>The default constants with the overrides of the cost profile file at <paramref name="path"/>.</summary>
    public static CostProfile LoadProfile(string path) => LoadProfile(path, CostProfile.Default);

    /// <summary><paramref name="baseProfile"/> with the overrides of the cost profile file at <paramref name="path"/>.</summary>
    public static CostProfile LoadProfile(string path, CostProfile baseProfile)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CostProfileException(path, 0, "(file)", $"cannot read: {e.Message}");
        }

        return ApplyProfile(text, path, baseProfile);
    }

    /// <summary>
    /// Apply a cost profile's text: lines <c>section:</c> (measured or constants) and indented <c>key: number</c>;
    /// <c>#</c> starts a comment. Every key must be known; every number positive.
    /// </summary>
    public static CostProfile ApplyProfile(string text, string fileName, CostProfile baseProfile)
    {
        // A whole constants file in the format of costs.default.json (every constant with its source) is a profile too.
        if (text.TrimStart().StartsWith('{'))
        {
            return ParseConstants(text, fileName);
        }

        var overrides = new Dictionary<string, CostConstant>(StringComparer.Ordinal);
        string? section = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var raw = lines[i].TrimEnd('\r');
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).TrimEnd();
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indented = char.IsWhiteSpace(line[0]);
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new CostProfileException(fileName, lineNo, line.Trim(), "expected 'key: value'");
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (!indented)
            {
                if (key is not ("measured" or "constants") || value.Length != 0)
                {
                    throw new CostProfileException(fileName, lineNo, key, "expected a section 'measured:' or 'constants:'");
                }

                section = key;
                continue;
            }

            if (section is null)
            {
                throw new CostProfileException(fileName, lineNo, key, "an indented key outside a section (expected 'measured:' or 'constants:' first)");
            }

            if (section == "measured" && MeasuredMetadata.Contains(key))
            {
                continue;
            }

            string[] targets;
            if (section == "measured")
            {
                targets = MeasuredKeys.TryGetValue(key, out var t)
                    ? t
                    : throw new CostProfileException(fileName, lineNo, key, $"unknown measured key (expected one of {string.Join(", ", MeasuredKeys.Keys.Concat(MeasuredMetadata))})");
            }
            else
            {
                targets = CostProfile.Names.Contains(key)
                    ? [key]
                    : throw new CostProfileException(fileName, lineNo, key, $"unknown cost constant (expected one of {string.Join(", ", CostProfile.Names)})");
            }

            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !(number > 0) || !double.IsFinite(number))
            {
                throw new CostProfileException(fileName, lineNo, key, $"expected a positive number, got '{value}'");
            }

            foreach (var name in targets)
            {
                var old = baseProfile[name];
                overrides[name] = old with { Value = number, Source = $"{section} in {fileName} line {lineNo} ({key})" };
            }
        }

        if (section is null)
        {
            throw new CostProfileException(fileName, 1, "(file)", "expected a section 'measured:' (as 'ecsmm calibrate' writes) or 'constants:'; the file has none");
        }

        return baseProfile.With(overrides.Values, $"{baseProfile.Origin} + {fileName}");
    }

    private static JsonElement Child(JsonElement parent, string name, string file, string json, JsonValueKind kind, string? owner = null)
    {
        var key = owner is null ? name : $"{owner}.{name}";
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var child))
        {
            throw new CostProfileException(file, LineOf(json, owner ?? name), key, $"missing (expected {KindText(kind)})");
        }

        if (child.ValueKind != kind)
        {
            throw new CostProfileException(file, LineOf(json, owner ?? name), key, $"expected {KindText(kind)}, got {KindText(child.ValueKind)}");
        }

        return child;
    }

    private static string KindText(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The 1-based line of the first occurrence of "<paramref name="key"/>" in the text (1 if absent: the top level).</summary>
    private static int LineOf(string json, string key)
    {
        var at = json.IndexOf($"\"{key}\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return 1;
        }

        var line = 1;
        for (var i = 0; i < at; i++)
        {
            if (json[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
