namespace EcsMm.Ecs;

/// <summary>
/// A handle to a row of an <see cref="EntityTable"/>: an id that the table may reuse once the entity is destroyed,
/// and the version the id had when this handle was issued. A handle whose version no longer matches is stale
/// (<see cref="EntityTable.IsAlive"/> is false). Versions start at 1, so <c>default(Entity)</c> is never alive.
/// </summary>
public readonly record struct Entity(int Id, int Version)
{
    /// <summary>The handle that never names a live entity.</summary>
    public static Entity Null => default;

    /// <summary>True for <see cref="Null"/>.</summary>
    public bool IsNull => Version == 0;

    public override string ToString() => $"Entity({Id}v{Version})";
}
