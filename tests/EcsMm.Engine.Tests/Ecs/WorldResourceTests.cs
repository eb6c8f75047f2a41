using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

public sealed class WorldResourceTests
{
    private record struct ReportingConfig(int Order, long DelayNs);

    private sealed class Counters
    {
        public long Reports;
    }

    [Fact]
    public void AStructResourceIsUpdatedInPlaceThroughItsReference()
    {
        var world = new World(seed: 1);
        world.SetResource(new ReportingConfig(Order: 9, DelayNs: 2_000_000_000));
        ref var config = ref world.Resource<ReportingConfig>();
        config.Order = 10;
        Assert.Equal(10, world.Resource<ReportingConfig>().Order);
        Assert.Equal(2_000_000_000, world.Resource<ReportingConfig>().DelayNs);
    }

    [Fact]
    public void AClassResourceIsShared()
    {
        var world = new World(seed: 1);
        var counters = new Counters();
        world.SetResource(counters);
        world.Resource<Counters>().Reports++;
        Assert.Equal(1, counters.Reports);
    }

    [Fact]
    public void SetReplacesAndMissingResourceIsAClearError()
    {
        var world = new World(seed: 1);
        Assert.False(world.HasResource<ReportingConfig>());
        var error = Assert.Throws<KeyNotFoundException>(() => world.Resource<ReportingConfig>());
        Assert.Contains(nameof(ReportingConfig), error.Message);

        world.SetResource(new ReportingConfig(9, 1));
        world.SetResource(new ReportingConfig(5, 2));
        Assert.Equal(new ReportingConfig(5, 2), world.Resource<ReportingConfig>());
        Assert.True(world.Resources.TryGet<ReportingConfig>(out var got));
        Assert.Equal(5, got.Order);
        Assert.True(world.Resources.Remove<ReportingConfig>());
        Assert.False(world.HasResource<ReportingConfig>());
    }

    [Fact]
    public void WorldOwnsPagesTablesClockAndRandom()
    {
        var world = new World(pageRows: 1024, seed: 42);
        Assert.Equal(1024, world.Pages.RowCount);
        var folios = world.CreateTable("folios");
        Assert.Same(folios, world.Table("folios"));
        Assert.Throws<InvalidOperationException>(() => world.CreateTable("folios"));
        Assert.Throws<KeyNotFoundException>(() => world.Table("vmas"));
        Assert.Equal(0x15780b2e0c2ec716UL, world.Random.NextUInt64());
        Assert.Equal(new SimTime(0, 0), world.Time);
    }

    [Fact]
    public void AWorldWithoutPagesSaysSo()
    {
        var world = new World(seed: 1);
        Assert.False(world.HasPages);
        Assert.Throws<InvalidOperationException>(() => world.Pages);
    }

    [Fact]
    public void TwoWorldsShareNoState()
    {
        var a = new World(seed: 1);
        var b = new World(seed: 1);
        a.SetResource(new ReportingConfig(1, 1));
        a.CreateTable("folios").Create();
        a.Clock.Advance(10);
        Assert.False(b.HasResource<ReportingConfig>());
        Assert.False(b.HasTable("folios"));
        Assert.Equal(0, b.Clock.NowNs);
    }
}
