using EcsMm.Ecs;
using EcsMm.Mm.Systems;

namespace EcsMm.Mm;

/// <summary>
/// A simulated guest: the world (page table, entity tables, clock, random source), its mem_map, the page
/// allocator, and the pipeline with the allocator's systems in their phases (Allocation: AllocPages;
/// Frees: FreePages; PcpDrain: the vmstat refresh's decay_pcp_high; Validate: CheckInvariants when validation is on). Other subsystems (reporting, faults,
/// workloads) and user plug-ins add their systems to <see cref="Pipeline"/>.
/// </summary>
public sealed class Guest
{
    public Guest(MemoryConfig config, ulong seed, bool validate = false)
    {
        Config = config;
        Map = new MemMap(config.PageCount);
        World = new World(Map.Table, seed);
        Alloc = new PageAlloc(Map, config) { Validate = validate };
        World.SetResource(config);
        World.SetResource(Alloc);
        AllocRequests = new AllocRequests(World);
        FreeRequests = new FreeRequests(World);
        Pipeline = new Pipeline();
        Pipeline.Add(PhaseNames.Allocation, new AllocationSystem(Alloc));
        Pipeline.Add(PhaseNames.Frees, new FreeSystem(Alloc));
        Pipeline.Add(PhaseNames.PcpDrain, new VmstatRefreshSystem(Alloc));
        if (validate)
        {
            Pipeline.Add(PhaseNames.Validate, new InvariantCheckSystem(Alloc));
        }
    }

    public MemoryConfig Config { get; }

    public MemMap Map { get; }

    public World World { get; }

    public PageAlloc Alloc { get; }

    public Pipeline Pipeline { get; }

    public AllocRequests AllocRequests { get; }

    public FreeRequests FreeRequests { get; }

    /// <summary>Hand memory to the buddy allocator (memblock_free_all) and set up watermarks and pcp lists.</summary>
    public Guest Boot()
    {
        Alloc.Boot();
        return this;
    }

    /// <summary>Run one pipeline step (every phase once).</summary>
    public void Step() => Pipeline.Run(World);
}
