using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

public sealed class QueryTests
{
    private struct SumOrders : IChunkJob<FolioPfn, FolioOrder>
    {
        public long PfnSum;
        public long OrderSum;
        public int Rows;
        public List<Entity>? Seen;

        public void Execute(Span<FolioPfn> a, Span<FolioOrder> b, ReadOnlySpan<Entity> entities)
        {
            Rows = a.Length;
            for (var i = 0; i < a.Length; i++)
            {
                PfnSum += a[i].Value;
                OrderSum += b[i].Value;
                Seen?.Add(entities[i]);
            }
        }
    }

    private struct DoubleOrder : IChunkJob<FolioOrder>
    {
        public void Execute(Span<FolioOrder> a, ReadOnlySpan<Entity> entities)
        {
            foreach (ref var order in a)
            {
                order.Value *= 2;
            }
        }
    }

    private struct RecordVisits : IForEach<FolioOrder>
    {
        public List<int> Orders;

        public void Update(Entity entity, ref FolioOrder a) => Orders.Add(a.Value);
    }

    private struct CreateInsideQuery : IChunkJob<FolioOrder>
    {
        public EntityTable Table;

        public void Execute(Span<FolioOrder> a, ReadOnlySpan<Entity> entities) => Table.Create();
    }

    private struct DestroyInsideForEach : IForEach<FolioOrder>
    {
        public EntityTable Table;

        public void Update(Entity entity, ref FolioOrder a) => Table.Destroy(entity);
    }

    private struct DestroyOddOrders : IDestroyFilter<FolioOrder>
    {
        public int Visits;

        public bool ShouldDestroy(Entity entity, ref FolioOrder a)
        {
            Visits++;
            return a.Value % 2 == 1;
        }
    }

    private struct SumPages : IPageJob<uint, int>
    {
        public long FlagSum;
        public long NextSum;
        public List<(int First, int Length)>? Chunks;

        public void Execute(int firstPfn, Span<uint> a, Span<int> b)
        {
            Chunks?.Add((firstPfn, a.Length));
            for (var i = 0; i < a.Length; i++)
            {
                FlagSum += a[i];
                NextSum += b[i];
            }
        }
    }

    private struct ClearFlags : IPageJob<uint>
    {
        public void Execute(int firstPfn, Span<uint> a) => a.Clear();
    }

    private static (EntityTable Table, Entity[] Entities) Folios(int count)
    {
        var table = new EntityTable("folios");
        table.AddColumn<FolioPfn>();
        table.AddColumn<FolioOrder>();
        var entities = new Entity[count];
        table.Create(entities);
        for (var i = 0; i < count; i++)
        {
            table.Set(entities[i], new FolioPfn(i * 512L));
            table.Set(entities[i], new FolioOrder(i));
        }

        return (table, entities);
    }

    [Fact]
    public void ChunkQuerySeesExactlyTheLiveRows()
    {
        var (table, entities) = Folios(10);
        table.Destroy(entities[3]);
        table.Destroy(entities[7]);
        var job = new SumOrders { Seen = [] };
        table.Query<SumOrders, FolioPfn, FolioOrder>(ref job);

        Assert.Equal(8, job.Rows);
        Assert.Equal((45 - 3 - 7) * 512L, job.PfnSum);
        Assert.Equal(45 - 3 - 7, job.OrderSum);
        Assert.Equal(entities.Where((_, i) => i is not 3 and not 7).OrderBy(e => e.Id), job.Seen!.OrderBy(e => e.Id));
    }

    [Fact]
    public void ChunkQueryWritesThroughTheSpan()
    {
        var (table, entities) = Folios(4);
        var job = new DoubleOrder();
        table.Query<DoubleOrder, FolioOrder>(ref job);
        Assert.Equal(6, table.Get<FolioOrder>(entities[3]).Value);
    }

    [Fact]
    public void ForEachVisitsLastRowFirst()
    {
        var (table, _) = Folios(4);
        var job = new RecordVisits { Orders = [] };
        table.ForEach<RecordVisits, FolioOrder>(ref job);
        Assert.Equal([3, 2, 1, 0], job.Orders);
    }

    [Fact]
    public void StructuralChangeDuringQueryThrows()
    {
        var (table, _) = Folios(3);
        var job = new CreateInsideQuery { Table = table };
        var error = Assert.Throws<StructuralChangeException>(() => table.Query<CreateInsideQuery, FolioOrder>(ref job));
        Assert.Contains("CommandBuffer", error.Message);
        Assert.Equal(3, table.Count);
        Assert.False(table.IsIterating);
        table.Create(); // the guard is released after the failed query
        Assert.Equal(4, table.Count);
    }

    [Fact]
    public void DirectDestroyInsideForEachThrows()
    {
        var (table, _) = Folios(3);
        var job = new DestroyInsideForEach { Table = table };
        Assert.Throws<StructuralChangeException>(() => table.ForEach<DestroyInsideForEach, FolioOrder>(ref job));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void DestroyWhereRemovesTheCurrentEntitySafelyWalkingBackwards()
    {
        var (table, entities) = Folios(9);
        var job = new DestroyOddOrders();
        var destroyed = table.DestroyWhere<DestroyOddOrders, FolioOrder>(ref job);

        Assert.Equal(4, destroyed);
        Assert.Equal(9, job.Visits); // every entity visited exactly once despite swap-removes
        Assert.Equal(5, table.Count);
        for (var i = 0; i < entities.Length; i++)
        {
            Assert.Equal(i % 2 == 0, table.IsAlive(entities[i]));
        }

        foreach (var order in table.Span<FolioOrder>())
        {
            Assert.Equal(0, order.Value % 2);
        }
    }

    [Fact]
    public void QueryIterationDoesNotAllocate()
    {
        var (table, _) = Folios(1000);
        var job = new SumOrders();
        table.Query<SumOrders, FolioPfn, FolioOrder>(ref job); // warm up (JIT)
        var (calls, clean) = AllocationProbe.RunUntilACleanRound(() => table.Query<SumOrders, FolioPfn, FolioOrder>(ref job));

        Assert.True(clean, "every round of 100 queries allocated");
        Assert.Equal((calls + 1) * (999 * 1000 / 2L), job.OrderSum);
    }

    [Fact]
    public void ForEachDoesNotAllocate()
    {
        var (table, _) = Folios(1000);
        var job = new SumOrdersForEach();
        table.ForEach<SumOrdersForEach, FolioPfn, FolioOrder>(ref job);
        var (calls, clean) = AllocationProbe.RunUntilACleanRound(() => table.ForEach<SumOrdersForEach, FolioPfn, FolioOrder>(ref job));
        calls++;

        Assert.True(clean, "every round of 100 ForEach calls allocated");
        Assert.Equal(calls * (999 * 1000 / 2L), job.OrderSum);
    }

    private struct SumOrdersForEach : IForEach<FolioPfn, FolioOrder>
    {
        public long OrderSum;

        public void Update(Entity entity, ref FolioPfn a, ref FolioOrder b) => OrderSum += b.Value;
    }

    [Fact]
    public void ColumnOfAnotherTableIsRejected()
    {
        var (table, _) = Folios(1);
        var other = new EntityTable("other");
        var foreign = other.AddColumn<FolioOrder>();
        var job = new DoubleOrder();
        Assert.Throws<ArgumentException>(() => table.Query(ref job, foreign));
    }

    private static PageTable Pages(int rows)
    {
        var pages = new PageTable(rows);
        var flags = pages.AddColumn<uint>("flags");
        var next = pages.AddColumn<int>("next");
        for (var pfn = 0; pfn < rows; pfn++)
        {
            flags[pfn] = (uint)pfn;
            next[pfn] = 1;
        }

        return pages;
    }

    [Fact]
    public void PageQueryHandsSpansOfTheRequestedRange()
    {
        var pages = Pages(4096);
        var job = new SumPages { Chunks = [] };
        pages.Query<SumPages, uint, int>(ref job, "flags", "next", startPfn: 100, count: 1000);

        Assert.Equal(Enumerable.Range(100, 1000).Sum(p => (long)p), job.FlagSum);
        Assert.Equal(1000, job.NextSum);
        Assert.Equal([(100, 1000)], job.Chunks);
    }

    [Fact]
    public void PageQueryChunksEndAtPageblockBoundaries()
    {
        var pages = Pages(4096);
        var job = new SumPages { Chunks = [] };
        pages.Query<SumPages, uint, int>(ref job, "flags", "next", startPfn: 500, count: 1100, chunkRows: 512);

        Assert.Equal([(500, 12), (512, 512), (1024, 512), (1536, 64)], job.Chunks);
        Assert.Equal(1100, job.NextSum);
    }

    [Fact]
    public void PageQueryWritesThroughTheSpan()
    {
        var pages = Pages(64);
        var job = new ClearFlags();
        pages.Query<ClearFlags, uint>(ref job, "flags", 8, 8);
        var flags = pages.Column<uint>("flags");
        Assert.Equal(7u, flags[7]);
        Assert.All(flags[8..16], f => Assert.Equal(0u, f));
        Assert.Equal(16u, flags[16]);
    }

    [Fact]
    public void PageQueryRejectsARangeOutsideTheTableAndSparseColumns()
    {
        var pages = Pages(64);
        pages.AddSparseColumn<byte>("pageblock", 16);
        var job = new ClearFlags();
        var sparse = new ClearBytes();
        Assert.Throws<ArgumentOutOfRangeException>(() => pages.Query<ClearFlags, uint>(ref job, "flags", 60, 8));
        Assert.Throws<ArgumentException>(() => pages.Query<ClearBytes, byte>(ref sparse, "pageblock", 0, 4));
    }

    private struct ClearBytes : IPageJob<byte>
    {
        public void Execute(int firstPfn, Span<byte> a) => a.Clear();
    }
}
