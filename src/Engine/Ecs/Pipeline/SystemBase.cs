namespace EcsMm.Ecs;

/// <summary>A convenience base for systems: the name defaults to the class name.</summary>
public abstract class SystemBase : ISystem
{
    protected SystemBase(string? name = null)
    {
        Name = name ?? GetType().Name;
    }

    public string Name { get; }

    public abstract void Update(World world, in SimTime time);

    public override string ToString() => Name;
}
