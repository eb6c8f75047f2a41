using BenchmarkDotNet.Attributes;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// Alloc + free per order through the path the kernel takes for it: orders 0 and 3 and the THP order 9 through the
/// per-cpu lists (pcp_allowed_order), order 10 straight to buddy (__rmqueue_smallest + expand, then
/// free_one_page → split_large_buddy → __free_one_page). Each round allocates 32 blocks, then frees them, so the
/// buddy splits and merges; a 2 GiB guest. Results read as ns per alloc+free pair.
/// </summary>
[MemoryDiagnoser]
public class BuddyOrderBenchmarks
{
    private const int Rounds = 64;
    private const int BurstSize = 32;
    private const int Ops = Rounds * BurstSize;
    private readonly int[] _burst = new int[BurstSize];
    private PageAlloc _alloc = null!;
    private Gfp _gfp;

    [Params(0, 3, 9, 10)]
    public int Order { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _alloc = Guests.Booted("2G");
        _gfp = Guests.GfpFor(Order);
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int AllocFree()
    {
        var alloc = _alloc;
        var burst = _burst;
        var order = Order;
        var gfp = _gfp;
        var sum = 0;
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < BurstSize; i++)
            {
                burst[i] = alloc.AllocPages(gfp, order).Pfn;
            }

            for (var i = 0; i < BurstSize; i++)
            {
                alloc.FreePages(burst[i], order);
                sum += burst[i];
            }
        }

        return sum;
    }
}
