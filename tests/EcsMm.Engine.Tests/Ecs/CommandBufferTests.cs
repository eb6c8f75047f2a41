using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

public sealed class CommandBufferTests
{
    private struct DestroyViaBuffer : IForEach<FolioOrder>
    {
        public CommandBuffer Commands;
        public EntityTable Table;

        public void Update(Entity entity, ref FolioOrder a)
        {
            if (a.Value >= 2)
            {
                Commands.Destroy(Table, entity);
            }
        }
    }

    private static EntityTable Requests()
    {
        var table = new EntityTable("requests");
        table.AddColumn<FolioOrder>();
        table.AddColumn<Refcount>();
        return table;
    }

    [Fact]
    public void NothingChangesBeforePlayback()
    {
        var table = Requests();
        var buffer = new CommandBuffer();
        buffer.Create(table);
        Assert.Equal(0, table.Count);
        Assert.Equal(1, buffer.Count);
        buffer.Playback();
        Assert.Equal(1, table.Count);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void CreateThenSetOnThePendingEntity()
    {
        var table = Requests();
        var buffer = new CommandBuffer();
        var pending = buffer.Create(table);
        buffer.Set(pending, new FolioOrder(9));
        buffer.Set(pending, new Refcount(2));
        buffer.Playback();

        var created = buffer.Resolve(pending);
        Assert.True(table.IsAlive(created));
        Assert.Equal(9, table.Get<FolioOrder>(created).Value);
        Assert.Equal(2, table.Get<Refcount>(created).Value);
    }

    [Fact]
    public void PlaybackAppliesCommandsInRecordedOrder()
    {
        var table = Requests();
        var existing = table.Create();
        var buffer = new CommandBuffer();
        var a = buffer.Create(table);
        buffer.Destroy(table, existing);
        var b = buffer.Create(table);
        buffer.Playback();

        // In order: a is created in row 1; destroying 'existing' (row 0) swaps a into row 0; b is then created in row 1.
        var ea = buffer.Resolve(a);
        var eb = buffer.Resolve(b);
        Assert.False(table.IsAlive(existing));
        Assert.Equal(0, table.RowOf(ea));
        Assert.Equal(1, table.RowOf(eb));
        Assert.Equal(existing.Id, eb.Id); // b reused the id freed by the destroy before it
        Assert.Equal(existing.Version + 1, eb.Version);
    }

    [Fact]
    public void LaterSetOverridesEarlierSetOfTheSameComponent()
    {
        var table = Requests();
        var e = table.Create();
        var buffer = new CommandBuffer();
        buffer.Set(table, e, new FolioOrder(1));
        buffer.Set(table, e, new FolioOrder(2));
        buffer.Playback();
        Assert.Equal(2, table.Get<FolioOrder>(e).Value);
    }

    [Fact]
    public void DestroyRecordedDuringAQueryIsAppliedAfterIt()
    {
        var table = Requests();
        var entities = new Entity[5];
        table.Create(entities);
        for (var i = 0; i < entities.Length; i++)
        {
            table.Set(entities[i], new FolioOrder(i));
        }

        var buffer = new CommandBuffer();
        var job = new DestroyViaBuffer { Commands = buffer, Table = table };
        table.ForEach<DestroyViaBuffer, FolioOrder>(ref job);
        Assert.Equal(5, table.Count);

        buffer.Playback();
        Assert.Equal(2, table.Count);
        Assert.True(table.IsAlive(entities[0]));
        Assert.True(table.IsAlive(entities[1]));
        Assert.False(table.IsAlive(entities[4]));
    }

    [Fact]
    public void DestroyOfADeadEntityFailsLoudlyAndEmptiesTheBuffer()
    {
        var table = Requests();
        var e = table.Create();
        var buffer = new CommandBuffer();
        buffer.Destroy(table, e);
        buffer.Destroy(table, e);
        var error = Assert.Throws<InvalidOperationException>(buffer.Playback);
        Assert.Contains("command 1", error.Message);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void PendingEntityFromAnOlderRoundCannotBeUsed()
    {
        var table = Requests();
        var buffer = new CommandBuffer();
        var pending = buffer.Create(table);
        buffer.Playback();
        buffer.Playback();
        Assert.Throws<InvalidOperationException>(() => buffer.Resolve(pending));
        Assert.Throws<InvalidOperationException>(() => buffer.Set(pending, new FolioOrder(1)));
    }

    [Fact]
    public void PlaybackIntoATableUnderQueryThrows()
    {
        var table = Requests();
        table.Create();
        var buffer = new CommandBuffer();
        buffer.Create(table);
        var job = new PlaybackInside { Buffer = buffer };
        Assert.Throws<StructuralChangeException>(() => table.ForEach<PlaybackInside, FolioOrder>(ref job));
    }

    private struct PlaybackInside : IForEach<FolioOrder>
    {
        public CommandBuffer Buffer;

        public void Update(Entity entity, ref FolioOrder a) => Buffer.Playback();
    }
}
