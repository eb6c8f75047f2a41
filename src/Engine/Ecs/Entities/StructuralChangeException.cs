namespace EcsMm.Ecs;

/// <summary>
/// Thrown when an entity is created or destroyed, or a column added, on a table while a query over that table is
/// running: the change would move rows under the query's spans. Record the change in a <see cref="CommandBuffer"/>
/// instead; it is played back at the phase boundary.
/// </summary>
public sealed class StructuralChangeException : InvalidOperationException
{
    public StructuralChangeException(string message)
        : base(message)
    {
    }
}
