namespace EcsMm.Ecs;

/// <summary>
/// A system: one named step of a phase. It reads and writes the world's columns and resources; structural
/// changes it makes while a query runs go through <see cref="World.Commands"/>.
/// </summary>
public interface ISystem
{
    /// <summary>The system's name, unique in its <see cref="Pipeline"/>; Before/After constraints refer to it.</summary>
    string Name { get; }

    void Update(World world, in SimTime time);
}
