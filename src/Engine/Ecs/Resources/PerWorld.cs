namespace EcsMm.Ecs;

/// <summary>
/// A value built from a world once and reused while the same world is passed in (e.g. a system's handles on a
/// table's columns, looked up by name): rebuilt only when the world changes.
/// </summary>
public struct PerWorld<T>
    where T : class
{
    private World? _world;
    private T? _value;

    /// <summary>The value for <paramref name="world"/>, built with <paramref name="create"/> the first time.</summary>
    public T Get(World world, Func<World, T> create)
    {
        if (_value is null || !ReferenceEquals(_world, world))
        {
            _world = world;
            _value = create(world);
        }

        return _value;
    }
}
