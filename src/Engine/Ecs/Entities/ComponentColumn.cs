using System.Runtime.InteropServices;

namespace EcsMm.Ecs;

/// <summary>
/// One component column of an <see cref="EntityTable"/>: a dense array of an unmanaged type, one element per row.
/// The untyped base lets the table move, clear and grow all its columns without knowing their types.
/// </summary>
public abstract class ComponentColumn
{
    private protected ComponentColumn(EntityTable table, string name, int index)
    {
        Table = table;
        Name = name;
        Index = index;
    }

    /// <summary>The table the column belongs to.</summary>
    public EntityTable Table { get; }

    /// <summary>The column's name, unique in its table.</summary>
    public string Name { get; }

    /// <summary>Position of the column in its table.</summary>
    public int Index { get; }

    public abstract Type ElementType { get; }

    public abstract int ElementSize { get; }

    internal abstract void Resize(int capacity);

    /// <summary>Swap-remove: the last live row's value moves into <paramref name="row"/>, and the last row is zeroed.</summary>
    internal abstract void RemoveRow(int row, int last);

    /// <summary>Zeroes rows [0, <paramref name="count"/>) (the table was cleared).</summary>
    internal abstract void ClearRows(int count);

    internal abstract void WriteBytes(int row, ReadOnlySpan<byte> value);
}

/// <summary>A column of <typeparamref name="T"/> values; <see cref="Data"/> is the backing array (its length is the table's capacity).</summary>
public sealed class ComponentColumn<T> : ComponentColumn
    where T : unmanaged
{
    internal ComponentColumn(EntityTable table, string name, int index, int capacity)
        : base(table, name, index)
    {
        Data = new T[capacity];
    }

    /// <summary>The backing array; rows at or past the table's count are zero.</summary>
    public T[] Data { get; private set; }

    public override Type ElementType => typeof(T);

    public override int ElementSize => System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    internal override void Resize(int capacity)
    {
        var data = Data;
        Array.Resize(ref data, capacity);
        Data = data;
    }

    internal override void RemoveRow(int row, int last)
    {
        var data = Data;
        data[row] = data[last];
        data[last] = default;
    }

    internal override void ClearRows(int count) => Array.Clear(Data, 0, count);

    internal override void WriteBytes(int row, ReadOnlySpan<byte> value) => Data[row] = MemoryMarshal.Read<T>(value);
}
