namespace EcsMm.Ecs;

/// <summary>
/// Everything one simulation owns: the PFN-indexed <see cref="PageTable"/> (if it simulates pages), the entity
/// tables, the clock, the seeded random source, the command buffer played back at phase boundaries, and typed
/// resources. Nothing is static: two worlds never share state.
/// </summary>
public sealed class World
{
    private readonly List<EntityTable> _tables = [];
    private readonly Dictionary<string, EntityTable> _tablesByName = new(StringComparer.Ordinal);
    private readonly List<CommandBuffer> _commandBuffers = [];
    private readonly PageTable? _pages;

    /// <summary>A world without pages (entity tables and resources only).</summary>
    public World(ulong seed)
    {
        Random = new RandomSource(seed);
        _commandBuffers.Add(Commands);
    }

    /// <summary>A world with a fresh page table of <paramref name="pageRows"/> rows.</summary>
    public World(long pageRows, ulong seed)
        : this(new PageTable(pageRows), seed)
    {
    }

    /// <summary>A world around an existing page table.</summary>
    public World(PageTable pages, ulong seed)
        : this(seed)
    {
        _pages = pages;
    }

    /// <summary>The page table (row == PFN); throws for a world created without one.</summary>
    public PageTable Pages => _pages ?? throw new InvalidOperationException("this world has no page table");

    public bool HasPages => _pages is not null;

    public SimClock Clock { get; } = new();

    public RandomSource Random { get; }

    /// <summary>The buffer systems record structural changes in; played back after each phase, first.</summary>
    public CommandBuffer Commands { get; } = new();

    /// <summary>Every buffer played back at a phase boundary: <see cref="Commands"/>, then those from <see cref="CreateCommandBuffer"/>.</summary>
    public IReadOnlyList<CommandBuffer> CommandBuffers => _commandBuffers;

    public ResourceRegistry Resources { get; } = new();

    /// <summary>Steps completed by the pipeline.</summary>
    public long Step { get; internal set; }

    /// <summary>The time a system sees now.</summary>
    public SimTime Time => new(Clock.NowNs, Step);

    /// <summary>The entity tables in creation order.</summary>
    public IReadOnlyList<EntityTable> Tables => _tables;

    /// <summary>Creates an entity table named <paramref name="name"/>.</summary>
    public EntityTable CreateTable(string name, int initialCapacity = 16)
    {
        var table = new EntityTable(name, initialCapacity);
        if (!_tablesByName.TryAdd(name, table))
        {
            throw new InvalidOperationException($"world already has a table '{name}'");
        }

        _tables.Add(table);
        return table;
    }

    /// <summary>A further command buffer (e.g. one per system), played back after <see cref="Commands"/> in creation order.</summary>
    public CommandBuffer CreateCommandBuffer()
    {
        var buffer = new CommandBuffer();
        _commandBuffers.Add(buffer);
        return buffer;
    }

    /// <summary>Plays back every command buffer, in order (the pipeline does this at the end of each phase).</summary>
    public void PlaybackCommands()
    {
        foreach (var buffer in _commandBuffers)
        {
            buffer.Playback();
        }
    }

    /// <summary>The table named <paramref name="name"/>.</summary>
    public EntityTable Table(string name) =>
        _tablesByName.TryGetValue(name, out var table) ? table : throw new KeyNotFoundException($"world has no table '{name}'");

    public bool HasTable(string name) => _tablesByName.ContainsKey(name);

    /// <summary>The table named <paramref name="name"/>, created with <paramref name="initialCapacity"/> if it does not exist yet.</summary>
    public EntityTable GetOrCreateTable(string name, int initialCapacity = 16) =>
        HasTable(name) ? Table(name) : CreateTable(name, initialCapacity);

    /// <summary>A reference to the resource of type <typeparamref name="T"/>; throws if none was set.</summary>
    public ref T Resource<T>() => ref Resources.Get<T>();

    /// <summary>Sets (adds or replaces) the resource of type <typeparamref name="T"/>.</summary>
    public void SetResource<T>(T value) => Resources.Set(value);

    public bool HasResource<T>() => Resources.Has<T>();
}
