namespace EcsMm.Ecs;

/// <summary>
/// Queries over a PFN range of a <see cref="PageTable"/>: the job gets spans of the columns it names, in chunks.
/// With <c>chunkRows</c> = 0 the whole range is one chunk; otherwise chunks end at multiples of <c>chunkRows</c> in PFN
/// space (e.g. 512 gives one call per pageblock), so the first and last chunk may be shorter. Only one-element-per-row
/// columns can be queried. Rows never move, so there is no structural-change guard here.
/// </summary>
public static class PageQuery
{
    /// <summary>Runs <paramref name="job"/> over pages <c>[startPfn, startPfn + count)</c> of column <paramref name="a"/>.</summary>
    public static void Query<TJob, TA>(this PageTable pages, ref TJob job, string a, int startPfn, int count, int chunkRows = 0)
        where TJob : struct, IPageJob<TA>
        where TA : unmanaged
    {
        var ca = RowColumn<TA>(pages, a);
        Validate(pages, startPfn, count, chunkRows);
        for (var pfn = startPfn; pfn < startPfn + count;)
        {
            var end = ChunkEnd(pfn, startPfn + count, chunkRows);
            job.Execute(pfn, ca.AsSpan(pfn, end - pfn));
            pfn = end;
        }
    }

    /// <summary>Runs <paramref name="job"/> over pages <c>[startPfn, startPfn + count)</c> of columns <paramref name="a"/>, <paramref name="b"/>.</summary>
    public static void Query<TJob, TA, TB>(this PageTable pages, ref TJob job, string a, string b, int startPfn, int count, int chunkRows = 0)
        where TJob : struct, IPageJob<TA, TB>
        where TA : unmanaged
        where TB : unmanaged
    {
        var ca = RowColumn<TA>(pages, a);
        var cb = RowColumn<TB>(pages, b);
        Validate(pages, startPfn, count, chunkRows);
        for (var pfn = startPfn; pfn < startPfn + count;)
        {
            var end = ChunkEnd(pfn, startPfn + count, chunkRows);
            job.Execute(pfn, ca.AsSpan(pfn, end - pfn), cb.AsSpan(pfn, end - pfn));
            pfn = end;
        }
    }

    /// <summary>Runs <paramref name="job"/> over pages <c>[startPfn, startPfn + count)</c> of columns <paramref name="a"/>, <paramref name="b"/>, <paramref name="c"/>.</summary>
    public static void Query<TJob, TA, TB, TC>(
        this PageTable pages, ref TJob job, string a, string b, string c, int startPfn, int count, int chunkRows = 0)
        where TJob : struct, IPageJob<TA, TB, TC>
        where TA : unmanaged
        where TB : unmanaged
        where TC : unmanaged
    {
        var ca = RowColumn<TA>(pages, a);
        var cb = RowColumn<TB>(pages, b);
        var cc = RowColumn<TC>(pages, c);
        Validate(pages, startPfn, count, chunkRows);
        for (var pfn = startPfn; pfn < startPfn + count;)
        {
            var end = ChunkEnd(pfn, startPfn + count, chunkRows);
            job.Execute(pfn, ca.AsSpan(pfn, end - pfn), cb.AsSpan(pfn, end - pfn), cc.AsSpan(pfn, end - pfn));
            pfn = end;
        }
    }

    private static T[] RowColumn<T>(PageTable pages, string name)
        where T : unmanaged
    {
        var column = pages.Column<T>(name);
        var info = pages.ColumnInfo(name);
        if (info.RowsPerElement != 1)
        {
            throw new ArgumentException($"page column '{name}' has one element per {info.RowsPerElement} rows; a page query needs one per row", nameof(name));
        }

        return column;
    }

    private static void Validate(PageTable pages, int startPfn, int count, int chunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkRows);
        if (startPfn < 0 || count < 0 || (long)startPfn + count > pages.RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(startPfn), $"PFN range [{startPfn}, {(long)startPfn + count}) is outside the page table (0..{pages.RowCount})");
        }
    }

    private static int ChunkEnd(int pfn, int end, int chunkRows)
    {
        if (chunkRows == 0)
        {
            return end;
        }

        var boundary = ((long)pfn / chunkRows + 1) * chunkRows;
        return (int)Math.Min(boundary, end);
    }
}
