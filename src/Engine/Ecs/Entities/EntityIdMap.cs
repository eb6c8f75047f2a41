namespace EcsMm.Ecs;

/// <summary>
/// The sparse id → row map of an <see cref="EntityTable"/>: one row index and one version per id ever issued, and
/// a stack of free ids. A destroyed id is pushed on the stack with its version bumped, so the next create reuses
/// it (last freed, first reused — deterministic) and every old handle to it becomes stale.
/// </summary>
internal sealed class EntityIdMap
{
    private const int NoRow = -1;
    private int[] _rowOf = [];
    private int[] _versionOf = [];
    private int[] _free = [];
    private int _freeCount;
    private int _issued;

    public bool IsAlive(Entity entity) =>
        (uint)entity.Id < (uint)_issued && _versionOf[entity.Id] == entity.Version && _rowOf[entity.Id] != NoRow;

    /// <summary>The row of a live entity, or −1.</summary>
    public int RowOf(Entity entity) => IsAlive(entity) ? _rowOf[entity.Id] : NoRow;

    /// <summary>Issues an id (a free one if any) and maps it to <paramref name="row"/>.</summary>
    public Entity Allocate(int row)
    {
        int id;
        if (_freeCount > 0)
        {
            id = _free[--_freeCount];
        }
        else
        {
            if (_issued == _rowOf.Length)
            {
                var capacity = Math.Max(16, _rowOf.Length * 2);
                Array.Resize(ref _rowOf, capacity);
                Array.Resize(ref _versionOf, capacity);
            }

            id = _issued++;
            _versionOf[id] = 1;
        }

        _rowOf[id] = row;
        return new Entity(id, _versionOf[id]);
    }

    /// <summary>Moves a live id to another row (after a swap-remove).</summary>
    public void Move(int id, int row) => _rowOf[id] = row;

    /// <summary>Frees the id of a live entity and bumps its version.</summary>
    public void Free(Entity entity)
    {
        _rowOf[entity.Id] = NoRow;
        var next = unchecked(_versionOf[entity.Id] + 1);
        _versionOf[entity.Id] = next == 0 ? 1 : next;
        if (_freeCount == _free.Length)
        {
            Array.Resize(ref _free, Math.Max(16, _free.Length * 2));
        }

        _free[_freeCount++] = entity.Id;
    }
}
