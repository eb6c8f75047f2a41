namespace EcsMm.Ecs;

/// <summary>What a system sees of time in one step: the simulated clock in nanoseconds and the step number.</summary>
public readonly record struct SimTime(long NowNs, long Step);
