using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcsMm.Bench;

namespace EcsMm.Scenarios;

/// <summary>
/// The built-in scenarios of the seed's benchmark (seed-thp, seed-nothp, seed-hugetlb): JSON data files under
/// Scenarios/BuiltIn, embedded in the engine, read into <see cref="SeedBenchmarkSpec"/> (keys are the spec's
/// property names in camelCase; missing keys keep the spec's defaults).
/// </summary>
public static class BuiltInScenarios
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Names of the built-in scenarios.</summary>
    public static IReadOnlyList<string> Names { get; } = ["seed-thp", "seed-nothp", "seed-hugetlb"];

    /// <summary>Load a built-in scenario by name.</summary>
    public static SeedBenchmarkSpec Load(string name)
    {
        var resource = $"EcsMm.Scenarios.BuiltIn.{name}.json";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"no built-in scenario '{name}' (known: {string.Join(", ", Names)})", nameof(name));
        return Parse(stream, name);
    }

    /// <summary>Parse a scenario; a bad file is an <see cref="ArgumentException"/> naming the file and the problem.</summary>
    public static SeedBenchmarkSpec Parse(Stream json, string fileName)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<SeedBenchmarkSpec>(json, Options)
                ?? throw new ArgumentException($"{fileName}: empty scenario");
            spec.Validate();
            return spec;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{fileName}: line {(e.LineNumber ?? 0) + 1}, {e.Path}: {e.Message}", e);
        }
    }
}
