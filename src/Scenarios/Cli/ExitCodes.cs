namespace EcsMm.Scenarios.Cli;

/// <summary>The command line's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The simulation failed: an invariant violation or bad page in validate mode, a replay that diverged.</summary>
    public const int SimulationFailed = 1;

    /// <summary>A usage or input error: bad option, bad file, bad value.</summary>
    public const int UsageError = 2;
}
