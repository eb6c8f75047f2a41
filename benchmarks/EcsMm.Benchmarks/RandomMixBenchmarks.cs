using BenchmarkDotNet.Attributes;
using EcsMm.Ecs;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// 10^7 random mixed-order operations on a 64 GiB guest (issue 3): each operation is an AllocPages or a FreePages of
/// a random block held, 50/50, with orders drawn from a kernel-like mix (order 0 most, THP order 9 next, every order
/// 0..10 present). The guest is first filled to about half with the same mix, so the buddy is fragmented and merges
/// and splits happen at every order. The operation stream is drawn from a seeded xoshiro256** before timing.
/// One invocation = 10^7 operations; results read as ns per operation.
/// </summary>
[MemoryDiagnoser]
public class RandomMixBenchmarks
{
    public const int Ops = 10_000_000;

    // Cumulative weights per order, out of 1000: 0: 700, 1: 40, 2: 40, 3: 40, 4..8: 10 each, 9: 100, 10: 30.
    private static readonly int[] OrderCdf = [700, 740, 780, 820, 830, 840, 850, 860, 870, 970, 1000];

    private readonly int[] _heldPfn = new int[1 << 22];
    private readonly byte[] _heldOrder = new byte[1 << 22];
    private int _held;
    private uint[] _stream = [];
    private PageAlloc _alloc = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alloc = Guests.Booted("64G");
        var random = new RandomSource(8);
        _stream = new uint[Ops];
        for (var i = 0; i < _stream.Length; i++)
        {
            _stream[i] = (uint)random.NextUInt64();
        }

        // Fill to about half of memory.
        var target = _alloc.Map.PageCount / 2;
        long held = 0;
        while (held < target)
        {
            var order = OrderOf((uint)random.NextUInt64());
            var r = _alloc.AllocPages(Guests.GfpFor(order), order);
            if (!r.Success)
            {
                break;
            }

            Hold(r.Pfn, order);
            held += 1L << order;
        }
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public long MixedOps()
    {
        var alloc = _alloc;
        var stream = _stream;
        long failures = 0;
        for (var i = 0; i < stream.Length; i++)
        {
            var r = stream[i];
            if ((r & 1) == 0 || _held == 0)
            {
                var order = OrderOf(r >> 1);
                var result = alloc.AllocPages(Guests.GfpFor(order), order);
                if (result.Success)
                {
                    Hold(result.Pfn, order);
                }
                else
                {
                    failures++;
                }
            }
            else
            {
                var victim = (int)((ulong)(r >> 1) * (ulong)_held >> 31);
                var pfn = _heldPfn[victim];
                var order = _heldOrder[victim];
                _held--;
                _heldPfn[victim] = _heldPfn[_held];
                _heldOrder[victim] = _heldOrder[_held];
                alloc.FreePages(pfn, order);
            }
        }

        return failures;
    }

    private static int OrderOf(uint r)
    {
        var x = (int)(r % 1000);
        var order = 0;
        while (x >= OrderCdf[order])
        {
            order++;
        }

        return order;
    }

    private void Hold(int pfn, int order)
    {
        _heldPfn[_held] = pfn;
        _heldOrder[_held] = (byte)order;
        _held++;
    }
}
