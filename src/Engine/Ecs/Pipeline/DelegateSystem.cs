namespace EcsMm.Ecs;

/// <summary>The body of a <see cref="DelegateSystem"/>.</summary>
public delegate void SystemUpdate(World world, in SimTime time);

/// <summary>A system made from a name and a delegate, for small plug-ins (scenario hooks, probes, tests).</summary>
public sealed class DelegateSystem(string name, SystemUpdate update) : SystemBase(name)
{
    public override void Update(World world, in SimTime time) => update(world, time);
}
