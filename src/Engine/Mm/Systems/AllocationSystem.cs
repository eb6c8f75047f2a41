using EcsMm.Ecs;

namespace EcsMm.Mm.Systems;

/// <summary>
/// Serves every pending allocation request, in request order, through <c>__alloc_pages</c> →
/// <c>get_page_from_freelist</c> → <c>rmqueue</c> → <c>prep_new_page</c> / <c>post_alloc_hook</c>
/// (<see cref="PageAlloc.AllocPages"/>). Writes the PFN, the pghint_t and whether the allocator zeroed the pages
/// back into the request; a failure is a request status, counted in vmstat, never an exception.
/// </summary>
public sealed class AllocationSystem(PageAlloc alloc) : SystemBase("AllocPages")
{
    private PerWorld<AllocRequests> _requests;

    public override void Update(World world, in SimTime time)
    {
        var requests = _requests.Get(world, static w => new AllocRequests(w));
        var n = requests.Table.Count;
        var gfp = requests.Gfp.Data;
        var order = requests.Order.Data;
        var cpu = requests.Cpu.Data;
        var pfn = requests.Pfn.Data;
        var hint = requests.Hint.Data;
        var status = requests.Status.Data;
        var zeroed = requests.ZeroedByAllocator.Data;
        for (var row = 0; row < n; row++)
        {
            if (status[row] != (byte)RequestStatus.Pending)
            {
                continue;
            }

            var r = alloc.AllocPages((Gfp)gfp[row], order[row], cpu[row]);
            pfn[row] = r.Pfn;
            hint[row] = (byte)r.Hint;
            zeroed[row] = r.ZeroedByAllocator ? (byte)1 : (byte)0;
            status[row] = r.Success ? (byte)RequestStatus.Served : (byte)RequestStatus.Failed;
        }
    }
}
