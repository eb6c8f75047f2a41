namespace EcsMm.Ecs;

/// <summary>
/// A struct callback for <see cref="EntityTable.DestroyWhere{TJob, TA}(ref TJob)"/>: called once per live entity,
/// last row first; returning true destroys that entity right away. Walking backwards makes this safe: the row that
/// swap-remove moves into the hole has already been visited.
/// </summary>
public interface IDestroyFilter<TA>
    where TA : unmanaged
{
    bool ShouldDestroy(Entity entity, ref TA a);
}

/// <summary>A destroying filter over two columns; see <see cref="IDestroyFilter{TA}"/>.</summary>
public interface IDestroyFilter<TA, TB>
    where TA : unmanaged
    where TB : unmanaged
{
    bool ShouldDestroy(Entity entity, ref TA a, ref TB b);
}
