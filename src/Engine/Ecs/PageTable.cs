using System.Runtime.CompilerServices;

namespace EcsMm.Ecs;

/// <summary>
/// A fixed-row table: row == PFN, rows never move. Each component is one dense column of an unmanaged
/// type, allocated once for the guest's memory, so a buddy lookup (<c>pfn ^ (1 &lt;&lt; order)</c>) is an index and
/// a scan over millions of pages is a loop over a primitive array.
/// </summary>
public sealed class PageTable
{
    private readonly List<PageColumnInfo> _columns = [];
    private readonly Dictionary<string, Array> _byName = new(StringComparer.Ordinal);

    public PageTable(long rows)
    {
        if (rows <= 0 || rows > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"a page table holds 1..{Array.MaxLength} rows");
        }

        RowCount = (int)rows;
    }

    /// <summary>Number of rows (pages).</summary>
    public int RowCount { get; }

    /// <summary>The columns in the order they were added.</summary>
    public IReadOnlyList<PageColumnInfo> Columns => _columns;

    /// <summary>Bytes of state per row, all columns together.</summary>
    public double BytesPerRow
    {
        get
        {
            double sum = 0;
            foreach (var c in _columns)
            {
                sum += c.BytesPerRow;
            }

            return sum;
        }
    }

    /// <summary>Adds a column with one element per row.</summary>
    public T[] AddColumn<T>(string name)
        where T : unmanaged
    {
        var column = GC.AllocateArray<T>(RowCount, pinned: false);
        Register(name, column, Unsafe.SizeOf<T>(), rowsPerElement: 1);
        return column;
    }

    /// <summary>Adds a column with one element per <paramref name="rowsPerElement"/> rows (e.g. per pageblock, or a bitplane).</summary>
    public T[] AddSparseColumn<T>(string name, int rowsPerElement)
        where T : unmanaged
    {
        if (rowsPerElement <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowsPerElement));
        }

        var length = (int)(((long)RowCount + rowsPerElement - 1) / rowsPerElement);
        var column = GC.AllocateArray<T>(length, pinned: false);
        Register(name, column, Unsafe.SizeOf<T>(), rowsPerElement);
        return column;
    }

    /// <summary>The column registered under <paramref name="name"/>.</summary>
    public T[] Column<T>(string name)
        where T : unmanaged
    {
        if (!_byName.TryGetValue(name, out var array))
        {
            throw new KeyNotFoundException($"page table has no column '{name}'");
        }

        return array as T[] ?? throw new InvalidCastException($"column '{name}' is {array.GetType().GetElementType()}, not {typeof(T)}");
    }

    public bool HasColumn(string name) => _byName.ContainsKey(name);

    /// <summary>The description of the column registered under <paramref name="name"/>.</summary>
    public PageColumnInfo ColumnInfo(string name)
    {
        foreach (var c in _columns)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        throw new KeyNotFoundException($"page table has no column '{name}'");
    }

    private void Register(string name, Array column, int elementSize, int rowsPerElement)
    {
        if (!_byName.TryAdd(name, column))
        {
            throw new InvalidOperationException($"page table already has a column '{name}'");
        }

        _columns.Add(new PageColumnInfo(name, column.GetType().GetElementType()!, elementSize, rowsPerElement));
    }
}

/// <summary>Describes one column of a <see cref="PageTable"/>.</summary>
public readonly record struct PageColumnInfo(string Name, Type ElementType, int ElementSize, int RowsPerElement)
{
    public double BytesPerRow => (double)ElementSize / RowsPerElement;
}
