using EcsMm.Ecs;

namespace EcsMm.Virt;

/// <summary>
/// The Balloon phase's system: update_balloon_size_func() — fill_balloon() or leak_balloon() until the balloon
/// holds the device's target (<see cref="VirtioBalloon.TargetPages"/>).
/// </summary>
public sealed class BalloonSystem : SystemBase
{
    public BalloonSystem(VirtioBalloon balloon)
        : base("VirtioBalloon")
    {
        Balloon = balloon;
    }

    public VirtioBalloon Balloon { get; }

    public override void Update(World world, in SimTime time) => Balloon.MoveTowardTarget();
}
