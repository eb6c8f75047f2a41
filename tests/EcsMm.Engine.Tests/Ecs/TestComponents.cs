namespace EcsMm.Tests.Ecs;

/// <summary>Small components shared by the ECS fixtures.</summary>
internal record struct FolioPfn(long Value);

internal record struct FolioOrder(int Value);

internal record struct Refcount(int Value);
