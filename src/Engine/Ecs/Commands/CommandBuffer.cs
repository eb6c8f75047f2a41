using System.Runtime.InteropServices;

namespace EcsMm.Ecs;

/// <summary>
/// Structural changes (create, destroy) and component writes recorded while a phase runs and applied at the phase
/// boundary by <see cref="Playback"/>, in exactly the order they were recorded. Component values are copied into
/// one byte buffer, so recording allocates only when the buffer grows. A command on an entity that is no longer
/// alive at playback fails loudly: two systems disagreeing about an entity's life is a bug, not a race to hide.
/// </summary>
public sealed class CommandBuffer
{
    private readonly List<Command> _commands = [];
    private readonly List<EntityTable> _pendingTables = [];
    private byte[] _payload = new byte[256];
    private int _payloadUsed;
    private Entity[] _created = [];
    private int _createdCount;
    private int _round;

    /// <summary>Commands recorded since the last playback.</summary>
    public int Count => _commands.Count;

    /// <summary>Records the creation of an entity (all components zero) in <paramref name="table"/>.</summary>
    public PendingEntity Create(EntityTable table)
    {
        var pending = new PendingEntity(_pendingTables.Count, _round);
        _pendingTables.Add(table);
        _commands.Add(new Command(CommandKind.Create, table, default, pending.Index, null, 0, 0));
        return pending;
    }

    /// <summary>Records the destruction of <paramref name="entity"/> in <paramref name="table"/>.</summary>
    public void Destroy(EntityTable table, Entity entity) =>
        _commands.Add(new Command(CommandKind.Destroy, table, entity, -1, null, 0, 0));

    /// <summary>Records a write of the <typeparamref name="T"/> component of <paramref name="entity"/>.</summary>
    public void Set<T>(EntityTable table, Entity entity, in T value)
        where T : unmanaged => Set(table.Column<T>(), entity, value);

    /// <summary>Records a write to <paramref name="column"/> for <paramref name="entity"/>.</summary>
    public void Set<T>(ComponentColumn<T> column, Entity entity, in T value)
        where T : unmanaged
    {
        var offset = Store(value);
        _commands.Add(new Command(CommandKind.Set, column.Table, entity, -1, column, offset, System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
    }

    /// <summary>Records a write of the <typeparamref name="T"/> component of an entity created earlier in this buffer.</summary>
    public void Set<T>(PendingEntity entity, in T value)
        where T : unmanaged => Set(TableOf(entity).Column<T>(), entity, value);

    /// <summary>Records a write to <paramref name="column"/> for an entity created earlier in this buffer.</summary>
    public void Set<T>(ComponentColumn<T> column, PendingEntity entity, in T value)
        where T : unmanaged
    {
        if (!ReferenceEquals(TableOf(entity), column.Table))
        {
            throw new ArgumentException($"pending entity is created in table '{TableOf(entity).Name}', column '{column.Name}' is in '{column.Table.Name}'");
        }

        var offset = Store(value);
        _commands.Add(new Command(CommandKind.Set, column.Table, default, entity.Index, column, offset, System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
    }

    /// <summary>Applies every recorded command in order, then empties the buffer (also when a command fails).</summary>
    public void Playback()
    {
        _round++;
        _createdCount = 0;
        if (_created.Length < _pendingTables.Count)
        {
            Array.Resize(ref _created, Math.Max(_pendingTables.Count, _created.Length * 2));
        }

        try
        {
            for (var i = 0; i < _commands.Count; i++)
            {
                Apply(i, _commands[i]);
            }
        }
        finally
        {
            _commands.Clear();
            _pendingTables.Clear();
            _payloadUsed = 0;
        }
    }

    /// <summary>The entity created for <paramref name="pending"/> by the most recent playback.</summary>
    public Entity Resolve(PendingEntity pending)
    {
        if (pending.Round != _round - 1 || pending.Index >= _createdCount)
        {
            throw new InvalidOperationException($"{pending} was not created by the most recent playback of this buffer");
        }

        return _created[pending.Index];
    }

    private void Apply(int index, in Command command)
    {
        switch (command.Kind)
        {
            case CommandKind.Create:
                _created[command.Pending] = command.Table.Create();
                _createdCount = command.Pending + 1;
                break;
            case CommandKind.Destroy:
                if (!command.Table.IsAlive(command.Entity))
                {
                    throw new InvalidOperationException($"command {index}: destroy of {command.Entity} in table '{command.Table.Name}', which is not alive");
                }

                command.Table.Destroy(command.Entity);
                break;
            case CommandKind.Set:
                var entity = command.Pending >= 0 ? _created[command.Pending] : command.Entity;
                if (!command.Table.IsAlive(entity))
                {
                    throw new InvalidOperationException($"command {index}: set '{command.Column!.Name}' of {entity} in table '{command.Table.Name}', which is not alive");
                }

                command.Column!.WriteBytes(command.Table.RowOf(entity), _payload.AsSpan(command.Offset, command.Length));
                break;
        }
    }

    private EntityTable TableOf(PendingEntity entity)
    {
        if (entity.Round != _round || (uint)entity.Index >= (uint)_pendingTables.Count)
        {
            throw new InvalidOperationException($"{entity} was not recorded in this buffer since its last playback");
        }

        return _pendingTables[entity.Index];
    }

    private int Store<T>(in T value)
        where T : unmanaged
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (_payloadUsed + size > _payload.Length)
        {
            Array.Resize(ref _payload, Math.Max(_payloadUsed + size, _payload.Length * 2));
        }

        var offset = _payloadUsed;
        MemoryMarshal.Write(_payload.AsSpan(offset, size), in value);
        _payloadUsed += size;
        return offset;
    }

    private enum CommandKind : byte
    {
        Create,
        Destroy,
        Set,
    }

    private readonly record struct Command(
        CommandKind Kind, EntityTable Table, Entity Entity, int Pending, ComponentColumn? Column, int Offset, int Length);
}
