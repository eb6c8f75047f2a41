using System.Reflection;
using System.Runtime.InteropServices;

namespace EcsMm.Scenarios.Output;

/// <summary>Where a result came from: the EcsMm version and git commit (embedded at build time) and the machine.</summary>
public static class Provenance
{
    public static string Version { get; } =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Provenance).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The commit from `git rev-parse HEAD` at build time, or "unknown".</summary>
    public static string Commit { get; } =
        typeof(Provenance).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "GitCommit")?.Value ?? "unknown";

    public static string Os => RuntimeInformation.OSDescription;

    public static string Arch => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    public static int Cores => Environment.ProcessorCount;

    public static string Runtime => RuntimeInformation.FrameworkDescription;
}
