using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// Building and booting a guest at 2 GiB, 64 GiB and 1 TiB. <c>Construct</c> allocates the mem_map columns and the
/// allocator (its Bytes/page column is the simulator's state per page); <c>Boot</c> hands every range to buddy in
/// max-order blocks (memblock_free_all), on a freshly constructed guest per iteration. Boot's time should grow
/// with max-order blocks (pages / 1024), not pages; ALLOCATOR.md divides the measured time by the block count.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BootConfig))]
public class BootBenchmarks
{
    private PageAlloc? _fresh;

    [Params("2G", "64G", "1T")]
    public string Size { get; set; } = "2G";

    [Benchmark]
    public PageAlloc Construct() => Guests.Create(Size);

    [IterationSetup(Target = nameof(Boot))]
    public void FreshGuest()
    {
        _fresh = null;
        GC.Collect();
        _fresh = Guests.Create(Size);
    }

    [Benchmark]
    public PageAlloc Boot()
    {
        var alloc = _fresh!;
        alloc.Boot();
        return alloc;
    }

    private sealed class BootConfig : ManualConfig
    {
        public BootConfig()
        {
            AddColumn(new BytesPerPageColumn());
        }
    }
}
