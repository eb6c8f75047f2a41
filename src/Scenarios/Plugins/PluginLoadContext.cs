using System.Reflection;
using System.Runtime.Loader;

namespace EcsMm.Scenarios.Plugins;

/// <summary>
/// The load context of one plug-in assembly: its own dependencies resolve from its folder (via its .deps.json), while
/// every assembly the host has already loaded (EcsMm.Engine above all) is shared, so the plug-in's systems implement
/// the host's <see cref="Ecs.ISystem"/>.
/// </summary>
internal sealed class PluginLoadContext(string path) : AssemblyLoadContext($"ecsmm-plugin:{Path.GetFileName(path)}")
{
    private readonly AssemblyDependencyResolver _resolver = new(path);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        foreach (var a in Default.Assemblies)
        {
            if (AssemblyName.ReferenceMatchesDefinition(assemblyName, a.GetName()) && a.GetName().Name == assemblyName.Name)
            {
                return null;
            }
        }

        var resolved = _resolver.ResolveAssemblyToPath(assemblyName);
        return resolved is null ? null : LoadFromAssemblyPath(resolved);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var resolved = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return resolved is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(resolved);
    }
}
