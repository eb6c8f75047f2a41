namespace EcsMm.Tests.Ecs;

/// <summary>
/// Serialises the fixtures that attach an EventListener to "EcsMm" with those that measure allocations while a
/// pipeline runs (a listener's callbacks allocate on the running thread).
/// </summary>
[CollectionDefinition(Name)]
public sealed class EventSourceCollection
{
    public const string Name = "EcsMm event source";
}
