using EcsMm.Ecs;

namespace EcsMm.Mm.Systems;

/// <summary>
/// Frees every requested block, in request order, through <c>__free_pages</c> → <c>free_frozen_pages</c>
/// (<see cref="PageAlloc.FreePages"/>: free_pages_prepare, then the pcp list or <c>free_one_page</c>), and clears the
/// requests.
/// </summary>
public sealed class FreeSystem(PageAlloc alloc) : SystemBase("FreePages")
{
    private PerWorld<FreeRequests> _requests;

    public override void Update(World world, in SimTime time)
    {
        var requests = _requests.Get(world, static w => new FreeRequests(w));
        var n = requests.Table.Count;
        var pfn = requests.Pfn.Data;
        var order = requests.Order.Data;
        var cpu = requests.Cpu.Data;
        for (var row = 0; row < n; row++)
        {
            alloc.FreePages(pfn[row], order[row], cpu[row]);
        }

        requests.Table.Clear();
    }
}
