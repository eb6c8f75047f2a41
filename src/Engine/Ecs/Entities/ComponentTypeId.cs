namespace EcsMm.Ecs;

/// <summary>A process-wide small integer per component type, so a table finds a column by type with one array index.</summary>
internal static class ComponentTypeId
{
    private static int _next = -1;

    internal static int Next() => Interlocked.Increment(ref _next);
}

/// <summary>The <see cref="ComponentTypeId"/> of <typeparamref name="T"/>.</summary>
internal static class ComponentTypeId<T>
{
    public static readonly int Value = ComponentTypeId.Next();
}
