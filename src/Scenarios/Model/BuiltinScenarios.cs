using EcsMm.Scenarios.Cli;

namespace EcsMm.Scenarios.Model;

/// <summary>The scenarios shipped as YAML files in <c>scenarios/</c> next to the executable.</summary>
public static class BuiltinScenarios
{
    /// <summary>The folder holding the built-in scenario files.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "scenarios");

    /// <summary>Built-in names, sorted.</summary>
    public static IReadOnlyList<string> Names()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var names = System.IO.Directory.GetFiles(Directory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The file for <paramref name="nameOrPath"/>: an existing path, or a built-in name; otherwise a user error.</summary>
    public static string Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath))
        {
            return nameOrPath;
        }

        var builtin = Path.Combine(Directory, nameOrPath + ".yaml");
        if (!nameOrPath.Contains('/') && !nameOrPath.Contains('\\') && File.Exists(builtin))
        {
            return builtin;
        }

        throw new UserInputException(System.IO.Directory.Exists(nameOrPath)
            ? $"{nameOrPath}: is a directory; expected a scenario YAML file or one of: {string.Join(", ", Names())}"
            : $"{nameOrPath}: no such scenario file, and not a built-in scenario; expected a YAML file path or one of: {string.Join(", ", Names())}");
    }
}
