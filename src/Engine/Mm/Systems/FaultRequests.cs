using EcsMm.Ecs;

namespace EcsMm.Mm.Systems;

/// <summary>What a fault request asks for.</summary>
public enum FaultRequestKind : byte
{
    /// <summary>madvise(MADV_POPULATE_WRITE) over the range: write faults, no data written.</summary>
    PopulateWrite = 0,

    /// <summary>Stores to every stride-th page of the range: a write fault where unmapped, then a data write.</summary>
    Write = 1,
}

/// <summary>
/// Fault requests as entities (table "fault_requests"): a user program's touch of a VMA range — the VMA, first page,
/// page count, stride, and whether it is MADV_POPULATE_WRITE or a write — served in the Faults phase by
/// <see cref="FaultSystem"/> and then removed.
/// </summary>
public sealed class FaultRequests
{
    public const string TableName = "fault_requests";

    public FaultRequests(World world)
    {
        Table = world.HasTable(TableName) ? world.Table(TableName) : world.CreateTable(TableName, 16);
        Vma = Column<Entity>("vma");
        First = Column<long>("first");
        Pages = Column<long>("pages");
        Stride = Column<int>("stride");
        Kind = Column<byte>("kind");
    }

    public EntityTable Table { get; }

    public ComponentColumn<Entity> Vma { get; }

    public ComponentColumn<long> First { get; }

    /// <summary>Pages in the range; -1 for the rest of the VMA.</summary>
    public ComponentColumn<long> Pages { get; }

    public ComponentColumn<int> Stride { get; }

    public ComponentColumn<byte> Kind { get; }

    /// <summary>Add a request (outside a query over this table).</summary>
    public Entity Add(Entity vma, FaultRequestKind kind, long first = 0, long pages = -1, int stride = 1)
    {
        var e = Table.Create();
        Table.Get(Vma, e) = vma;
        Table.Get(First, e) = first;
        Table.Get(Pages, e) = pages;
        Table.Get(Stride, e) = stride;
        Table.Get(Kind, e) = (byte)kind;
        return e;
    }

    private ComponentColumn<T> Column<T>(string name)
        where T : unmanaged
        => Table.HasColumn(name) ? Table.Column<T>(name) : Table.AddColumn<T>(name);
}
