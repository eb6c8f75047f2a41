using System.Reflection;
using EcsMm.Ecs;
using EcsMm.Scenario;
using EcsMm.Scenarios.Cli;
using EcsMm.Scenarios.Running;

namespace EcsMm.Scenarios.Plugins;

/// <summary>
/// Loads <c>--plugin</c> assemblies and finds their systems: public, non-abstract classes implementing
/// <see cref="ISystem"/> with a public parameterless constructor. <see cref="EcsMmSystemAttribute"/> says the phase
/// (and Before/After); without it a system joins the Metrics phase. Systems are ordered by full type name so the
/// pipeline is the same on every run.
/// </summary>
public static class PluginLoader
{
    public static IReadOnlyList<PluginSystem> Load(IEnumerable<string> paths)
    {
        var systems = new List<PluginSystem>();
        foreach (var path in paths)
        {
            systems.AddRange(LoadOne(path));
        }

        return systems;
    }

    private static List<PluginSystem> LoadOne(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new UserInputException($"{path}: --plugin: {(Directory.Exists(path) ? "is a directory" : "file not found")}; expected a .NET assembly (.dll) with ISystem implementations");
        }

        Assembly asm;
        try
        {
            asm = new PluginLoadContext(full).LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException)
        {
            throw new UserInputException($"{path}: --plugin: not a .NET assembly; expected a .dll built against EcsMm.Engine");
        }
        catch (FileLoadException e)
        {
            throw new UserInputException($"{path}: --plugin: cannot load the assembly: {e.Message}");
        }

        Type[] types;
        try
        {
            types = asm.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? "unknown reason";
            throw new UserInputException($"{path}: --plugin: types cannot be loaded ({first}); was it built against this EcsMm.Engine?");
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new UserInputException($"{path}: --plugin: a dependency cannot be loaded ({e.Message}); keep the plug-in's .deps.json and dependencies next to it");
        }

        var found = new List<PluginSystem>();
        foreach (var t in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var attr = t.GetCustomAttribute<EcsMmSystemAttribute>();
            var isSystem = typeof(ISystem).IsAssignableFrom(t);
            if (attr is not null && !isSystem)
            {
                throw new UserInputException($"{path}: --plugin: {t.FullName} has [EcsMmSystem] but does not implement EcsMm.Ecs.ISystem");
            }

            if (!isSystem || !t.IsClass || t.IsAbstract || !t.IsPublic)
            {
                continue;
            }

            var ctor = t.GetConstructor(Type.EmptyTypes);
            if (ctor is null)
            {
                throw new UserInputException($"{path}: --plugin: {t.FullName} has no public parameterless constructor");
            }

            var phase = attr?.Phase ?? PhaseNames.Metrics;
            found.Add(new PluginSystem(full, () => (ISystem)ctor.Invoke(null), phase, attr?.Before, attr?.After));
        }

        if (found.Count == 0)
        {
            throw new UserInputException($"{path}: --plugin: no public class implementing EcsMm.Ecs.ISystem found");
        }

        return found;
    }
}
