using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

/// <summary>PerWorld: built once per world, rebuilt for another.</summary>
public sealed class PerWorldTests
{
    [Fact]
    public void BuildsOncePerWorld_AndAgainForAnotherWorld()
    {
        var cache = new PerWorld<object>();
        var a = new World(seed: 1);
        var b = new World(seed: 1);
        var built = 0;
        var first = cache.Get(a, _ => { built++; return new object(); });
        Assert.Same(first, cache.Get(a, _ => { built++; return new object(); }));
        Assert.NotSame(first, cache.Get(b, _ => { built++; return new object(); }));
        Assert.Equal(2, built);
    }
}
