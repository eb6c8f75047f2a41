using CsCheck;
using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

public sealed class EntityTableTests
{
    private static EntityTable NewFolios()
    {
        var table = new EntityTable("folios", initialCapacity: 2);
        table.AddColumn<FolioPfn>();
        table.AddColumn<FolioOrder>();
        return table;
    }

    [Fact]
    public void CreatedEntitiesAreAliveWithZeroComponents()
    {
        var table = NewFolios();
        var e = table.Create();
        Assert.True(table.IsAlive(e));
        Assert.Equal(1, e.Version);
        Assert.Equal(default, table.Get<FolioPfn>(e));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void GetReturnsAReferenceIntoTheColumn()
    {
        var table = NewFolios();
        var e = table.Create();
        table.Get<FolioOrder>(e).Value = 9;
        Assert.Equal(9, table.Span<FolioOrder>()[table.RowOf(e)].Value);
    }

    [Fact]
    public void SwapRemoveKeepsOtherEntitiesData()
    {
        var table = NewFolios();
        var entities = new Entity[5];
        table.Create(entities);
        for (var i = 0; i < entities.Length; i++)
        {
            table.Set(entities[i], new FolioPfn(1000 + i));
            table.Set(entities[i], new FolioOrder(i));
        }

        table.Destroy(entities[1]);

        Assert.Equal(4, table.Count);
        Assert.Equal(1, table.RowOf(entities[4])); // the last row moved into the hole
        for (var i = 0; i < entities.Length; i++)
        {
            if (i == 1)
            {
                continue;
            }

            Assert.Equal(1000 + i, table.Get<FolioPfn>(entities[i]).Value);
            Assert.Equal(i, table.Get<FolioOrder>(entities[i]).Value);
            Assert.Equal(entities[i], table.EntityAt(table.RowOf(entities[i])));
        }
    }

    [Fact]
    public void StaleEntityAfterDestroyIsNotAlive()
    {
        var table = NewFolios();
        var e = table.Create();
        table.Destroy(e);
        Assert.False(table.IsAlive(e));
        Assert.Throws<InvalidOperationException>(() => table.Get<FolioPfn>(e));
        Assert.Throws<InvalidOperationException>(() => table.Destroy(e));
    }

    [Fact]
    public void DestroyedIdIsReusedWithABumpedVersion()
    {
        var table = NewFolios();
        var first = table.Create();
        table.Destroy(first);
        var second = table.Create();
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Version + 1, second.Version);
        Assert.True(table.IsAlive(second));
        Assert.False(table.IsAlive(first));
    }

    [Fact]
    public void ReusedRowStartsZeroed()
    {
        var table = NewFolios();
        var e = table.Create();
        table.Set(e, new FolioOrder(7));
        table.Destroy(e);
        var again = table.Create();
        Assert.Equal(0, table.Get<FolioOrder>(again).Value);
    }

    [Fact]
    public void NullEntityIsNeverAlive()
    {
        var table = NewFolios();
        table.Create();
        Assert.False(table.IsAlive(Entity.Null));
        Assert.True(Entity.Null.IsNull);
    }

    [Fact]
    public void GrowthKeepsDataAndHandles()
    {
        var table = NewFolios();
        var first = table.CreateMany(1000);
        Assert.Equal(0, first);
        Assert.True(table.Capacity >= 1000);
        var entities = table.Entities.ToArray();
        for (var i = 0; i < entities.Length; i++)
        {
            table.Set(entities[i], new FolioPfn(i * 3L));
        }

        table.CreateMany(5000);
        for (var i = 0; i < entities.Length; i++)
        {
            Assert.Equal(i * 3L, table.Get<FolioPfn>(entities[i]).Value);
        }

        Assert.Equal(6000, table.Count);
    }

    [Fact]
    public void ColumnsAreFoundByTypeOrByName()
    {
        var table = new EntityTable("buckets");
        var head = table.AddColumn<int>("head");
        var tail = table.AddColumn<int>("tail");
        var e = table.Create();
        table.Get(tail, e) = 5;
        Assert.Equal(5, table.Span<int>("tail")[0]);
        Assert.Equal(0, table.Span<int>("head")[0]);
        Assert.Same(head, table.Column<int>("head"));
        Assert.Throws<InvalidOperationException>(() => table.Column<int>());
        Assert.Throws<InvalidCastException>(() => table.Column<long>("head"));
        Assert.Throws<KeyNotFoundException>(() => table.Column<long>());
        Assert.Throws<InvalidOperationException>(() => table.AddColumn<int>("head"));
    }

    [Fact]
    public void ClearDestroysEveryEntity()
    {
        var table = NewFolios();
        var entities = new Entity[10];
        table.Create(entities);
        foreach (var e in entities)
        {
            table.Set(e, new FolioOrder(9));
        }

        table.Clear();
        Assert.Equal(0, table.Count);
        foreach (var e in entities)
        {
            Assert.False(table.IsAlive(e));
        }

        // The columns are zeroed and ids are reissued with new versions, most recently freed (row 0's) first, as a
        // destroy of every row from the last would leave them.
        var again = new Entity[10];
        table.Create(again);
        Assert.Equal(entities.Select(e => e.Id), again.Select(e => e.Id));
        Assert.All(again, e => Assert.True(table.IsAlive(e)));
        Assert.All(entities, e => Assert.False(table.IsAlive(e)));
        Assert.All(again, e => Assert.Equal(default, table.Get<FolioOrder>(e)));
    }

    [Fact]
    public void BulkDestroyRemovesExactlyTheGivenEntities()
    {
        var table = NewFolios();
        var entities = new Entity[6];
        table.Create(entities);
        table.Destroy([entities[0], entities[5], entities[2]]);
        Assert.Equal(3, table.Count);
        Assert.Equal([false, true, false, true, true, false], entities.Select(table.IsAlive));
    }

    [Fact]
    public void RandomCreateDestroySequencesMatchADictionaryModel()
    {
        // Op codes: 0,1 create (value = op index), 2 destroy the live entity picked by the second number.
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000]).Array[0, 300].Sample(ops =>
        {
            var table = new EntityTable("model", initialCapacity: 1);
            var values = table.AddColumn<long>("value");
            var model = new Dictionary<Entity, long>();
            var dead = new List<Entity>();
            for (var i = 0; i < ops.Length; i++)
            {
                var (op, pick) = ops[i];
                if (op < 2 || model.Count == 0)
                {
                    var e = table.Create();
                    table.Get(values, e) = i;
                    model.Add(e, i);
                }
                else
                {
                    var victim = model.Keys.OrderBy(k => k.Id).ElementAt(pick % model.Count);
                    table.Destroy(victim);
                    model.Remove(victim);
                    dead.Add(victim);
                }
            }

            Assert.Equal(model.Count, table.Count);
            foreach (var (e, v) in model)
            {
                Assert.True(table.IsAlive(e));
                Assert.Equal(v, table.Get(values, e));
            }

            Assert.All(dead, e => Assert.False(table.IsAlive(e)));
            Assert.Equal(model.Keys.OrderBy(k => k.Id), table.Entities.ToArray().OrderBy(k => k.Id));
        });
    }
}
