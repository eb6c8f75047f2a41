namespace EcsMm.Ecs;

/// <summary>
/// An entity recorded for creation in a <see cref="CommandBuffer"/> but not yet created. Components can be set on
/// it in the same buffer; after playback <see cref="CommandBuffer.Resolve"/> gives the real <see cref="Entity"/>.
/// </summary>
public readonly record struct PendingEntity(int Index, int Round);
