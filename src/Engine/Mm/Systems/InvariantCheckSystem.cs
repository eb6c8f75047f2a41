using EcsMm.Ecs;
using EcsMm.Truth;

namespace EcsMm.Mm.Systems;

/// <summary>
/// The validate phase (CONFIG_DEBUG_VM in spirit): runs the <see cref="InvariantChecker"/> every
/// <see cref="EverySteps"/> steps and stops the run with <see cref="InvariantViolationException"/> at the first
/// inconsistent state. Added only when validation is switched on.
/// </summary>
public sealed class InvariantCheckSystem(PageAlloc alloc, int everySteps = 1) : SystemBase("CheckInvariants")
{
    private readonly InvariantChecker _checker = new(alloc);

    public int EverySteps { get; } = Math.Max(1, everySteps);

    public override void Update(World world, in SimTime time)
    {
        if (time.Step % EverySteps != 0)
        {
            return;
        }

        var violations = _checker.Check();
        if (violations.Count > 0)
        {
            throw new InvariantViolationException(time, violations);
        }
    }
}

/// <summary>The allocator's state broke an invariant: the simulation failed (exit code 1 in the runner).</summary>
public sealed class InvariantViolationException(SimTime time, IReadOnlyList<string> violations)
    : Exception($"invariant violated at step {time.Step} (t = {time.NowNs} ns): {string.Join("; ", violations)}")
{
    public IReadOnlyList<string> Violations { get; } = violations;
}
