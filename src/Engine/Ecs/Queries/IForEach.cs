namespace EcsMm.Ecs;

/// <summary>A struct callback called once per live entity, last row first, with references to its components.</summary>
public interface IForEach<TA>
    where TA : unmanaged
{
    void Update(Entity entity, ref TA a);
}

/// <summary>A per-entity struct callback over two columns; see <see cref="IForEach{TA}"/>.</summary>
public interface IForEach<TA, TB>
    where TA : unmanaged
    where TB : unmanaged
{
    void Update(Entity entity, ref TA a, ref TB b);
}
