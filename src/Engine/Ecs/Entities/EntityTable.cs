using System.Runtime.CompilerServices;

namespace EcsMm.Ecs;

/// <summary>
/// A table of counted entities (folios, VMAs, free-area buckets, requests): dense SoA columns, one array per
/// component, rows <c>0..Count-1</c> live. Destroy swap-removes (the last row moves into the hole), so rows are not
/// stable; <see cref="Entity"/> handles are, through a versioned id → row map. Creating or destroying entities, or
/// adding a column, while a query over the table runs throws <see cref="StructuralChangeException"/>.
/// </summary>
public sealed partial class EntityTable
{
    private readonly List<ComponentColumn> _columns = [];
    private readonly Dictionary<string, ComponentColumn> _byName = new(StringComparer.Ordinal);
    private readonly EntityIdMap _ids = new();
    private ComponentColumn?[] _byType = [];
    private bool[] _typeAmbiguous = [];
    private Entity[] _entities;
    private int _iterating;

    public EntityTable(string name, int initialCapacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        Name = name;
        _entities = new Entity[initialCapacity];
    }

    /// <summary>The table's name in its <see cref="World"/>.</summary>
    public string Name { get; }

    /// <summary>Live entities (rows 0..Count-1).</summary>
    public int Count { get; private set; }

    /// <summary>Rows allocated in every column.</summary>
    public int Capacity => _entities.Length;

    /// <summary>The columns in the order they were added.</summary>
    public IReadOnlyList<ComponentColumn> Columns => _columns;

    /// <summary>The entity of each live row.</summary>
    public ReadOnlySpan<Entity> Entities => _entities.AsSpan(0, Count);

    /// <summary>True while a query over this table runs.</summary>
    public bool IsIterating => _iterating != 0;

    /// <summary>Adds a column of <typeparamref name="T"/>, named after the type unless <paramref name="name"/> is given.</summary>
    public ComponentColumn<T> AddColumn<T>(string? name = null)
        where T : unmanaged
    {
        ThrowIfIterating("add a column");
        name ??= typeof(T).Name;
        var column = new ComponentColumn<T>(this, name, _columns.Count, Capacity);
        if (!_byName.TryAdd(name, column))
        {
            throw new InvalidOperationException($"table '{Name}' already has a column '{name}'");
        }

        _columns.Add(column);
        var typeId = ComponentTypeId<T>.Value;
        if (typeId >= _byType.Length)
        {
            Array.Resize(ref _byType, typeId + 8);
            Array.Resize(ref _typeAmbiguous, typeId + 8);
        }

        if (_byType[typeId] is null)
        {
            _byType[typeId] = column;
        }
        else
        {
            _typeAmbiguous[typeId] = true;
        }

        return column;
    }

    /// <summary>The only column of type <typeparamref name="T"/>.</summary>
    public ComponentColumn<T> Column<T>()
        where T : unmanaged
    {
        var typeId = ComponentTypeId<T>.Value;
        if (typeId < _byType.Length && _byType[typeId] is ComponentColumn<T> column)
        {
            if (_typeAmbiguous[typeId])
            {
                throw new InvalidOperationException($"table '{Name}' has several {typeof(T).Name} columns; name the one you mean");
            }

            return column;
        }

        throw new KeyNotFoundException($"table '{Name}' has no column of type {typeof(T).Name}");
    }

    /// <summary>The column named <paramref name="name"/>, which must hold <typeparamref name="T"/>.</summary>
    public ComponentColumn<T> Column<T>(string name)
        where T : unmanaged
    {
        if (!_byName.TryGetValue(name, out var column))
        {
            throw new KeyNotFoundException($"table '{Name}' has no column '{name}'");
        }

        return column as ComponentColumn<T>
            ?? throw new InvalidCastException($"column '{name}' of table '{Name}' holds {column.ElementType.Name}, not {typeof(T).Name}");
    }

    /// <summary>The column named <paramref name="name"/>, untyped.</summary>
    public ComponentColumn Column(string name) =>
        _byName.TryGetValue(name, out var column) ? column : throw new KeyNotFoundException($"table '{Name}' has no column '{name}'");

    public bool HasColumn(string name) => _byName.ContainsKey(name);

    /// <summary>The column named <paramref name="name"/>, added if the table does not have it yet.</summary>
    public ComponentColumn<T> GetOrAddColumn<T>(string name)
        where T : unmanaged
        => HasColumn(name) ? Column<T>(name) : AddColumn<T>(name);

    /// <summary>The live rows of the column of type <typeparamref name="T"/>.</summary>
    public Span<T> Span<T>()
        where T : unmanaged => Column<T>().Data.AsSpan(0, Count);

    /// <summary>The live rows of the column named <paramref name="name"/>.</summary>
    public Span<T> Span<T>(string name)
        where T : unmanaged => Column<T>(name).Data.AsSpan(0, Count);

    public bool IsAlive(Entity entity) => _ids.IsAlive(entity);

    /// <summary>The current row of a live entity; throws for a stale handle.</summary>
    public int RowOf(Entity entity)
    {
        var row = _ids.RowOf(entity);
        return row >= 0 ? row : throw StaleEntity(entity);
    }

    /// <summary>The entity at a live row.</summary>
    public Entity EntityAt(int row)
    {
        if ((uint)row >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"table '{Name}' has {Count} rows");
        }

        return _entities[row];
    }

    /// <summary>A reference to the <typeparamref name="T"/> component of a live entity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Get<T>(Entity entity)
        where T : unmanaged => ref Column<T>().Data[RowOf(entity)];

    /// <summary>A reference to the component in column <paramref name="column"/> of a live entity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Get<T>(ComponentColumn<T> column, Entity entity)
        where T : unmanaged => ref column.Data[RowOf(entity)];

    /// <summary>Sets the <typeparamref name="T"/> component of a live entity.</summary>
    public void Set<T>(Entity entity, in T value)
        where T : unmanaged => Get<T>(entity) = value;

    /// <summary>Creates an entity with every component zero.</summary>
    public Entity Create()
    {
        ThrowIfIterating("create an entity");
        EnsureCapacity(Count + 1);
        var row = Count++;
        var entity = _ids.Allocate(row);
        _entities[row] = entity;
        return entity;
    }

    /// <summary>Creates <c>created.Length</c> entities in consecutive rows and writes their handles to <paramref name="created"/>; returns the first row.</summary>
    public int Create(Span<Entity> created)
    {
        ThrowIfIterating("create entities");
        EnsureCapacity(Count + created.Length);
        var first = Count;
        for (var i = 0; i < created.Length; i++)
        {
            var entity = _ids.Allocate(first + i);
            _entities[first + i] = entity;
            created[i] = entity;
        }

        Count += created.Length;
        return first;
    }

    /// <summary>Creates <paramref name="count"/> entities in consecutive rows; returns the first row.</summary>
    public int CreateMany(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ThrowIfIterating("create entities");
        EnsureCapacity(Count + count);
        var first = Count;
        for (var i = 0; i < count; i++)
        {
            _entities[first + i] = _ids.Allocate(first + i);
        }

        Count += count;
        return first;
    }

    /// <summary>Destroys a live entity: the last row moves into its row, its id is freed with a bumped version.</summary>
    public void Destroy(Entity entity)
    {
        ThrowIfIterating("destroy an entity");
        DestroyRow(RowOf(entity));
    }

    /// <summary>Destroys every entity in <paramref name="entities"/>, in order; all must be alive.</summary>
    public void Destroy(ReadOnlySpan<Entity> entities)
    {
        ThrowIfIterating("destroy entities");
        foreach (var entity in entities)
        {
            DestroyRow(RowOf(entity));
        }
    }

    /// <summary>
    /// Destroys every entity: ids are freed in the order destroying the rows from the last would free them (so later
    /// ids are issued as before), then each column is zeroed in one pass instead of a swap-remove per row.
    /// </summary>
    public void Clear()
    {
        ThrowIfIterating("clear the table");
        var count = Count;
        if (count == 0)
        {
            return;
        }

        for (var row = count - 1; row >= 0; row--)
        {
            _ids.Free(_entities[row]);
        }

        Array.Clear(_entities, 0, count);
        foreach (var column in _columns)
        {
            column.ClearRows(count);
        }

        Count = 0;
    }

    /// <summary>Grows every column to at least <paramref name="capacity"/> rows (doubling).</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity <= _entities.Length)
        {
            return;
        }

        ThrowIfIterating("grow the columns"); // a running query holds spans of the old arrays
        var grown = Math.Max(capacity, Math.Max(16, _entities.Length * 2));
        Array.Resize(ref _entities, grown);
        foreach (var column in _columns)
        {
            column.Resize(grown);
        }
    }

    private void DestroyRow(int row)
    {
        var last = Count - 1;
        var dead = _entities[row];
        var moved = _entities[last];
        _entities[row] = moved;
        _entities[last] = default;
        if (row != last)
        {
            _ids.Move(moved.Id, row);
        }

        foreach (var column in _columns)
        {
            column.RemoveRow(row, last); // row == last just zeroes it
        }

        _ids.Free(dead);
        Count = last;
    }

    private void ThrowIfIterating(string what)
    {
        if (_iterating != 0)
        {
            throw new StructuralChangeException(
                $"cannot {what} in table '{Name}' while a query over it is running; record it in a CommandBuffer (world.Commands) instead");
        }
    }

    private InvalidOperationException StaleEntity(Entity entity) =>
        new($"{entity} is not alive in table '{Name}' (destroyed, or never created here)");

    private void BeginIteration() => _iterating++;

    private void EndIteration() => _iterating--;
}
