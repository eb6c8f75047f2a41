namespace EcsMm.Tests.Ecs;

/// <summary>Checks that code allocates nothing on the calling thread once the runtime has warmed it up.</summary>
internal static class AllocationProbe
{
    /// <summary>
    /// Runs <paramref name="action"/> in rounds of <paramref name="perRound"/> calls until a round allocates nothing
    /// on this thread (at most 10 rounds). The runtime's tier-up of a method can allocate once while it promotes it;
    /// an allocation per call shows in every round. Returns how many calls were made, and whether a round was clean.
    /// </summary>
    public static (int Calls, bool Clean) RunUntilACleanRound(Action action, int perRound = 100)
    {
        var calls = 0;
        for (var round = 0; round < 10; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < perRound; i++)
            {
                action();
            }

            calls += perRound;
            if (GC.GetAllocatedBytesForCurrentThread() == before)
            {
                return (calls, true);
            }
        }

        return (calls, false);
    }
}
