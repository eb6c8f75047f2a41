using EcsMm.Ecs;

namespace EcsMm.Mm.Systems;

/// <summary>The state of an allocation request entity.</summary>
public enum RequestStatus : byte
{
    Pending = 0,
    Served = 1,
    Failed = 2,
}

/// <summary>
/// Allocation requests as entities (table "alloc_requests"): what a fault or a workload asks of the page
/// allocator in the Allocation phase — GFP flags, order, CPU, a caller's tag — and, once served, the PFN and the
/// pghint_t post_alloc_hook returned.
/// </summary>
public sealed class AllocRequests
{
    public const string TableName = "alloc_requests";

    public AllocRequests(World world)
    {
        Table = world.HasTable(TableName) ? world.Table(TableName) : world.CreateTable(TableName, 256);
        Gfp = Column<uint>("gfp");
        Order = Column<int>("order");
        Cpu = Column<int>("cpu");
        Tag = Column<long>("tag");
        Pfn = Column<int>("pfn");
        Hint = Column<byte>("hint");
        Status = Column<byte>("status");
        ZeroedByAllocator = Column<byte>("zeroed_by_allocator");
    }

    public EntityTable Table { get; }

    public ComponentColumn<uint> Gfp { get; }

    public ComponentColumn<int> Order { get; }

    public ComponentColumn<int> Cpu { get; }

    /// <summary>The requester's own identifier (a fault, a folio, a workload step), carried through untouched.</summary>
    public ComponentColumn<long> Tag { get; }

    public ComponentColumn<int> Pfn { get; }

    public ComponentColumn<byte> Hint { get; }

    public ComponentColumn<byte> Status { get; }

    public ComponentColumn<byte> ZeroedByAllocator { get; }

    /// <summary>Add a pending request (outside a query over this table).</summary>
    public Entity Add(Mm.Gfp gfp, int order, long tag, int cpu = 0)
    {
        var e = Table.Create();
        Table.Get(Gfp, e) = (uint)gfp;
        Table.Get(Order, e) = order;
        Table.Get(Cpu, e) = cpu;
        Table.Get(Tag, e) = tag;
        Table.Get(Pfn, e) = -1;
        Table.Get(Status, e) = (byte)RequestStatus.Pending;
        return e;
    }

    private ComponentColumn<T> Column<T>(string name)
        where T : unmanaged
        => Table.HasColumn(name) ? Table.Column<T>(name) : Table.AddColumn<T>(name);
}
