using BenchmarkDotNet.Attributes;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// The page table's memory per page: allocates the <see cref="MemMap"/> of a 64 GiB guest (2^24 pages) and lets
/// <see cref="MemoryDiagnoserAttribute"/> report the bytes allocated per page (<c>OperationsPerInvoke</c> = 2^24),
/// so the "Allocated" column is the measured footprint (design budget: at most 16 bytes per page).
/// </summary>
[MemoryDiagnoser]
public class PageTableFootprintBenchmarks
{
    public const int Pages = 1 << 24;

    /// <summary>Builds mem_map for 2^24 pages; returns its declared bytes per page so the result is used.</summary>
    [Benchmark(OperationsPerInvoke = Pages)]
    public double AllocateMemMap() => new MemMap(Pages).BytesPerPage;
}
