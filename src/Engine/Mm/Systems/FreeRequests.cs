using EcsMm.Ecs;

namespace EcsMm.Mm.Systems;

/// <summary>
/// Free requests as entities (table "free_requests"): blocks their users release in the Frees phase — PFN, order,
/// CPU. The Frees phase consumes and clears them.
/// </summary>
public sealed class FreeRequests
{
    public const string TableName = "free_requests";

    public FreeRequests(World world)
    {
        Table = world.HasTable(TableName) ? world.Table(TableName) : world.CreateTable(TableName, 256);
        Pfn = Table.HasColumn("pfn") ? Table.Column<int>("pfn") : Table.AddColumn<int>("pfn");
        Order = Table.HasColumn("order") ? Table.Column<int>("order") : Table.AddColumn<int>("order");
        Cpu = Table.HasColumn("cpu") ? Table.Column<int>("cpu") : Table.AddColumn<int>("cpu");
    }

    public EntityTable Table { get; }

    public ComponentColumn<int> Pfn { get; }

    public ComponentColumn<int> Order { get; }

    public ComponentColumn<int> Cpu { get; }

    /// <summary>Add a block to free (outside a query over this table).</summary>
    public Entity Add(int pfn, int order, int cpu = 0)
    {
        var e = Table.Create();
        Table.Get(Pfn, e) = pfn;
        Table.Get(Order, e) = order;
        Table.Get(Cpu, e) = cpu;
        return e;
    }
}
