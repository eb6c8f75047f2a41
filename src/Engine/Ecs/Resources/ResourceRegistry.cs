namespace EcsMm.Ecs;

/// <summary>
/// Typed singletons of a <see cref="World"/>: configuration records, the cost model, counters. One value per type,
/// held in a box so <see cref="Get{T}"/> returns a reference that a system can update in place, struct or class.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly Dictionary<Type, object> _boxes = [];

    /// <summary>Sets (adds or replaces) the resource of type <typeparamref name="T"/>.</summary>
    public void Set<T>(T value) => Box<T>(create: true)!.Value = value;

    /// <summary>A reference to the resource of type <typeparamref name="T"/>; throws if none was set.</summary>
    public ref T Get<T>()
    {
        var box = Box<T>(create: false)
            ?? throw new KeyNotFoundException($"no resource of type {typeof(T).Name} has been set (call SetResource<{typeof(T).Name}>(...) first)");
        return ref box.Value;
    }

    public bool TryGet<T>(out T value)
    {
        var box = Box<T>(create: false);
        value = box is null ? default! : box.Value;
        return box is not null;
    }

    public bool Has<T>() => _boxes.ContainsKey(typeof(T));

    public bool Remove<T>() => _boxes.Remove(typeof(T));

    private ResourceBox<T>? Box<T>(bool create)
    {
        if (_boxes.TryGetValue(typeof(T), out var box))
        {
            return (ResourceBox<T>)box;
        }

        if (!create)
        {
            return null;
        }

        var created = new ResourceBox<T>();
        _boxes.Add(typeof(T), created);
        return created;
    }

    private sealed class ResourceBox<T>
    {
        public T Value = default!;
    }
}
