namespace EcsMm.Ecs;

/// <summary>
/// A struct callback over a PFN range of <see cref="PageTable"/> columns: each call receives one chunk, the PFN of
/// its first row and the chunk's slice of each requested column (element <c>i</c> is page <c>firstPfn + i</c>).
/// </summary>
public interface IPageJob<TA>
    where TA : unmanaged
{
    void Execute(int firstPfn, Span<TA> a);
}

/// <summary>A page job over two columns; see <see cref="IPageJob{TA}"/>.</summary>
public interface IPageJob<TA, TB>
    where TA : unmanaged
    where TB : unmanaged
{
    void Execute(int firstPfn, Span<TA> a, Span<TB> b);
}

/// <summary>A page job over three columns; see <see cref="IPageJob{TA}"/>.</summary>
public interface IPageJob<TA, TB, TC>
    where TA : unmanaged
    where TB : unmanaged
    where TC : unmanaged
{
    void Execute(int firstPfn, Span<TA> a, Span<TB> b, Span<TC> c);
}
