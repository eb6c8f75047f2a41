using EcsMm.Ecs;
using EcsMm.Mm;
using EcsMm.Scenario;

namespace EcsMm.Scenarios.Tests;

/// <summary>
/// A planted bug for the validate-mode tests, loaded with --plugin from this test assembly: on its first step it
/// allocates an order-10 block and frees it twice (the second free finds a PageBuddy block: free_page_is_bad).
/// </summary>
[EcsMmSystem(Phase = PhaseNames.Frees)]
public sealed class DoubleFreeSystem : SystemBase
{
    private bool _done;

    public DoubleFreeSystem()
        : base("DoubleFree")
    {
    }

    public override void Update(World world, in SimTime time)
    {
        if (_done)
        {
            return;
        }

        _done = true;
        var alloc = world.Resource<PageAlloc>();
        var r = alloc.AllocPages(Gfp.HighUserMovable, MmConstants.MaxPageOrder);
        alloc.FreePages(r.Pfn, MmConstants.MaxPageOrder);
        alloc.FreePages(r.Pfn, MmConstants.MaxPageOrder);
    }
}
