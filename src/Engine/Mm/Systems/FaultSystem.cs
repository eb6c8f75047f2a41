using EcsMm.Ecs;

namespace EcsMm.Mm.Systems;

/// <summary>
/// The Faults phase's system: serves every pending <see cref="FaultRequests"/> entry in request order through
/// handle_mm_fault (<see cref="Memory.MadvisePopulateWrite"/> or <see cref="Memory.Write"/>), then clears the
/// requests. A request whose VMA has been unmapped meanwhile is dropped (the access would be a SIGSEGV).
/// </summary>
public sealed class FaultSystem(Memory memory) : SystemBase("HandleMmFault")
{
    /// <summary>Requests dropped because their VMA was gone.</summary>
    public long Dropped { get; private set; }

    private PerWorld<FaultRequests> _requests;

    public override void Update(World world, in SimTime time)
    {
        var requests = _requests.Get(world, static w => new FaultRequests(w));
        var vmas = memory.Tables.Vmas;
        var n = requests.Table.Count;
        for (var row = 0; row < n; row++)
        {
            var vma = requests.Vma.Data[row];
            if (!vmas.IsAlive(vma))
            {
                Dropped++;
                continue;
            }

            var first = requests.First.Data[row];
            var pages = requests.Pages.Data[row];
            if ((FaultRequestKind)requests.Kind.Data[row] == FaultRequestKind.PopulateWrite)
            {
                memory.MadvisePopulateWrite(vma, first, pages);
            }
            else
            {
                memory.Write(vma, first, pages, requests.Stride.Data[row]);
            }
        }

        requests.Table.Clear();
    }
}
