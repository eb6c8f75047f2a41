using BenchmarkDotNet.Attributes;
using EcsMm.Bench;
using EcsMm.Mm;
using EcsMm.Workloads;

namespace EcsMm.Benchmarks;

/// <summary>
/// A mapping among many live ones: mmap 64 KiB, MADV_POPULATE_WRITE (16 order-0 faults), munmap, and the pipeline
/// run that frees its pages, in one long-lived process on a 4 GiB guest (THP never, no background work) that holds
/// <see cref="LiveMappings"/> other populated 64 KiB mappings (16 folios each). Each owner keeps its folios on a chain,
/// so the munmap costs the same whatever else is mapped; the scan it replaced grew with every live folio.
/// (exit_mmap still looks for the process's VMAs among all VMAs.)
/// </summary>
[MemoryDiagnoser]
public class MunmapBenchmarks
{
    private SeedGuest _guest = null!;
    private EcsMm.Ecs.Entity _process;

    [Params(0, 4096)]
    public int LiveMappings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var spec = new SeedBenchmarkSpec
        {
            GuestMiB = 4096,
            SizeMiB = 1,
            Thp = ThpEnabled.Never,
            Background = BackgroundWorkloadSpec.None,
            BalloonLoadedAtBoot = false,
            WarmupSteps = 0,
        };
        _guest = new SeedGuest(spec, 1, hostZeroesPages: false);
        var memory = _guest.Memory;
        _process = memory.CreateProcess();
        for (var i = 0; i < LiveMappings; i++)
        {
            var vma = memory.Mmap(memory.CreateProcess(), 64 << 10);
            memory.MadvisePopulateWrite(vma);
        }
    }

    [Benchmark]
    public int MapPopulateUnmap() => _guest.RunCommand(() =>
    {
        var memory = _guest.Memory;
        var vma = memory.Mmap(_process, 64 << 10);
        var faulted = (int)memory.MadvisePopulateWrite(vma);
        memory.Munmap(vma);
        return faulted;
    });
}
