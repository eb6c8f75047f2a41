namespace EcsMm.Truth;

/// <summary>
/// A skipped zeroing of memory that was not zero: in the real kernel, silent data corruption (the new owner sees
/// the previous owner's data). <paramref name="Pfn"/> is the block, <paramref name="FirstDirtyPfn"/> its first
/// non-zero page, <paramref name="DirtyPages"/> how many of its pages were not zero.
/// </summary>
public readonly record struct DataCorruption(int Pfn, int Order, ZeroingPath Path, int FirstDirtyPfn, int DirtyPages, long TimeNs)
{
    public override string ToString() =>
        $"data corruption: zeroing skipped by {ZeroingPaths.KernelName(Path)} on pfn 0x{Pfn:x} order {Order}, " +
        $"{DirtyPages} page(s) not zero (first pfn 0x{FirstDirtyPfn:x}) at {TimeNs} ns";
}

/// <summary>Thrown in validate mode at the first <see cref="DataCorruption"/>; the runner turns it into exit code 1.</summary>
public sealed class DataCorruptionException : Exception
{
    public DataCorruptionException(DataCorruption corruption)
        : base(corruption.ToString())
    {
        Corruption = corruption;
    }

    public DataCorruption Corruption { get; }

    /// <summary>The process exit code a runner uses for a run stopped by data corruption.</summary>
    public const int ExitCode = 1;
}
