namespace EcsMm.Ecs;

/// <summary>Queries over an entity table: spans for chunk jobs, references for per-entity callbacks.</summary>
public sealed partial class EntityTable
{
    /// <summary>Runs <paramref name="job"/> once over the live rows of the column of type <typeparamref name="TA"/>.</summary>
    public void Query<TJob, TA>(ref TJob job)
        where TJob : struct, IChunkJob<TA>
        where TA : unmanaged => Query<TJob, TA>(ref job, Column<TA>());

    /// <summary>Runs <paramref name="job"/> once over the live rows of <paramref name="a"/>.</summary>
    public void Query<TJob, TA>(ref TJob job, ComponentColumn<TA> a)
        where TJob : struct, IChunkJob<TA>
        where TA : unmanaged
    {
        Own(a);
        BeginIteration();
        try
        {
            job.Execute(a.Data.AsSpan(0, Count), Entities);
        }
        finally
        {
            EndIteration();
        }
    }

    /// <summary>Runs <paramref name="job"/> once over the live rows of the columns of types <typeparamref name="TA"/>, <typeparamref name="TB"/>.</summary>
    public void Query<TJob, TA, TB>(ref TJob job)
        where TJob : struct, IChunkJob<TA, TB>
        where TA : unmanaged
        where TB : unmanaged => Query<TJob, TA, TB>(ref job, Column<TA>(), Column<TB>());

    /// <summary>Runs <paramref name="job"/> once over the live rows of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void Query<TJob, TA, TB>(ref TJob job, ComponentColumn<TA> a, ComponentColumn<TB> b)
        where TJob : struct, IChunkJob<TA, TB>
        where TA : unmanaged
        where TB : unmanaged
    {
        Own(a);
        Own(b);
        BeginIteration();
        try
        {
            job.Execute(a.Data.AsSpan(0, Count), b.Data.AsSpan(0, Count), Entities);
        }
        finally
        {
            EndIteration();
        }
    }

    /// <summary>Runs <paramref name="job"/> once over the live rows of the columns of types <typeparamref name="TA"/>, <typeparamref name="TB"/>, <typeparamref name="TC"/>.</summary>
    public void Query<TJob, TA, TB, TC>(ref TJob job)
        where TJob : struct, IChunkJob<TA, TB, TC>
        where TA : unmanaged
        where TB : unmanaged
        where TC : unmanaged => Query<TJob, TA, TB, TC>(ref job, Column<TA>(), Column<TB>(), Column<TC>());

    /// <summary>Runs <paramref name="job"/> once over the live rows of <paramref name="a"/>, <paramref name="b"/>, <paramref name="c"/>.</summary>
    public void Query<TJob, TA, TB, TC>(ref TJob job, ComponentColumn<TA> a, ComponentColumn<TB> b, ComponentColumn<TC> c)
        where TJob : struct, IChunkJob<TA, TB, TC>
        where TA : unmanaged
        where TB : unmanaged
        where TC : unmanaged
    {
        Own(a);
        Own(b);
        Own(c);
        BeginIteration();
        try
        {
            job.Execute(a.Data.AsSpan(0, Count), b.Data.AsSpan(0, Count), c.Data.AsSpan(0, Count), Entities);
        }
        finally
        {
            EndIteration();
        }
    }

    /// <summary>Calls <paramref name="job"/> for each live entity, last row first.</summary>
    public void ForEach<TJob, TA>(ref TJob job)
        where TJob : struct, IForEach<TA>
        where TA : unmanaged => ForEach<TJob, TA>(ref job, Column<TA>());

    /// <summary>Calls <paramref name="job"/> for each live entity, last row first, with its element of <paramref name="a"/>.</summary>
    public void ForEach<TJob, TA>(ref TJob job, ComponentColumn<TA> a)
        where TJob : struct, IForEach<TA>
        where TA : unmanaged
    {
        Own(a);
        var da = a.Data;
        var entities = _entities;
        BeginIteration();
        try
        {
            for (var row = Count - 1; row >= 0; row--)
            {
                job.Update(entities[row], ref da[row]);
            }
        }
        finally
        {
            EndIteration();
        }
    }

    /// <summary>Calls <paramref name="job"/> for each live entity, last row first.</summary>
    public void ForEach<TJob, TA, TB>(ref TJob job)
        where TJob : struct, IForEach<TA, TB>
        where TA : unmanaged
        where TB : unmanaged => ForEach<TJob, TA, TB>(ref job, Column<TA>(), Column<TB>());

    /// <summary>Calls <paramref name="job"/> for each live entity, last row first, with its elements of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void ForEach<TJob, TA, TB>(ref TJob job, ComponentColumn<TA> a, ComponentColumn<TB> b)
        where TJob : struct, IForEach<TA, TB>
        where TA : unmanaged
        where TB : unmanaged
    {
        Own(a);
        Own(b);
        var da = a.Data;
        var db = b.Data;
        var entities = _entities;
        BeginIteration();
        try
        {
            for (var row = Count - 1; row >= 0; row--)
            {
                job.Update(entities[row], ref da[row], ref db[row]);
            }
        }
        finally
        {
            EndIteration();
        }
    }

    /// <summary>Visits each live entity, last row first, and destroys those <paramref name="job"/> selects; returns how many.</summary>
    public int DestroyWhere<TJob, TA>(ref TJob job)
        where TJob : struct, IDestroyFilter<TA>
        where TA : unmanaged => DestroyWhere<TJob, TA>(ref job, Column<TA>());

    /// <summary>Visits each live entity, last row first, and destroys those <paramref name="job"/> selects; returns how many.</summary>
    public int DestroyWhere<TJob, TA>(ref TJob job, ComponentColumn<TA> a)
        where TJob : struct, IDestroyFilter<TA>
        where TA : unmanaged
    {
        Own(a);
        ThrowIfIterating("destroy entities");
        var destroyed = 0;

        // The guard stays up for the whole walk: the callback may not change the table; only this loop destroys rows.
        BeginIteration();
        try
        {
            for (var row = Count - 1; row >= 0; row--)
            {
                if (job.ShouldDestroy(_entities[row], ref a.Data[row]))
                {
                    DestroyRow(row);
                    destroyed++;
                }
            }
        }
        finally
        {
            EndIteration();
        }

        return destroyed;
    }

    /// <summary>Visits each live entity, last row first, and destroys those <paramref name="job"/> selects; returns how many.</summary>
    public int DestroyWhere<TJob, TA, TB>(ref TJob job)
        where TJob : struct, IDestroyFilter<TA, TB>
        where TA : unmanaged
        where TB : unmanaged => DestroyWhere<TJob, TA, TB>(ref job, Column<TA>(), Column<TB>());

    /// <summary>Visits each live entity, last row first, and destroys those <paramref name="job"/> selects; returns how many.</summary>
    public int DestroyWhere<TJob, TA, TB>(ref TJob job, ComponentColumn<TA> a, ComponentColumn<TB> b)
        where TJob : struct, IDestroyFilter<TA, TB>
        where TA : unmanaged
        where TB : unmanaged
    {
        Own(a);
        Own(b);
        ThrowIfIterating("destroy entities");
        var destroyed = 0;

        // The guard stays up for the whole walk: the callback may not change the table; only this loop destroys rows.
        BeginIteration();
        try
        {
            for (var row = Count - 1; row >= 0; row--)
            {
                if (job.ShouldDestroy(_entities[row], ref a.Data[row], ref b.Data[row]))
                {
                    DestroyRow(row);
                    destroyed++;
                }
            }
        }
        finally
        {
            EndIteration();
        }

        return destroyed;
    }

    private void Own(ComponentColumn column)
    {
        if (!ReferenceEquals(column.Table, this))
        {
            throw new ArgumentException($"column '{column.Name}' belongs to table '{column.Table.Name}', not '{Name}'");
        }
    }
}
