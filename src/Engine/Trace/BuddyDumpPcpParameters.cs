namespace EcsMm.Trace;

/// <summary>
/// A <c>C</c> line of a buddy dump: one CPU's <c>struct per_cpu_pages</c> parameters. <see cref="Count"/> is in
/// pages (a THP on the list counts 512).
/// </summary>
public readonly record struct BuddyDumpPcpParameters(int Cpu, int Count, int High, int Batch, int FreeFactor);
