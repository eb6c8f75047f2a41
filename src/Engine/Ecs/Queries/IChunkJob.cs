namespace EcsMm.Ecs;

/// <summary>
/// A struct callback that receives whole columns of an <see cref="EntityTable"/> as spans (one call per query), so
/// its loop runs over primitive arrays and can vectorize. Rows are aligned: <c>a[i]</c> belongs to <c>entities[i]</c>.
/// </summary>
public interface IChunkJob<TA>
    where TA : unmanaged
{
    void Execute(Span<TA> a, ReadOnlySpan<Entity> entities);
}

/// <summary>A chunk job over two columns; see <see cref="IChunkJob{TA}"/>.</summary>
public interface IChunkJob<TA, TB>
    where TA : unmanaged
    where TB : unmanaged
{
    void Execute(Span<TA> a, Span<TB> b, ReadOnlySpan<Entity> entities);
}

/// <summary>A chunk job over three columns; see <see cref="IChunkJob{TA}"/>.</summary>
public interface IChunkJob<TA, TB, TC>
    where TA : unmanaged
    where TB : unmanaged
    where TC : unmanaged
{
    void Execute(Span<TA> a, Span<TB> b, Span<TC> c, ReadOnlySpan<Entity> entities);
}
