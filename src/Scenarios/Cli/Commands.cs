using System.CommandLine;

namespace EcsMm.Scenarios.Cli;

/// <summary>Builds the command tree: run, list, replay, sweep (plan, run, merge), calibrate.</summary>
public static class Commands
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("""
            EcsMm: the Linux page allocator inside a VM, simulated — free page reporting, host-zeroed pages and the
            guest zeroing they let the kernel skip.

            Examples:
              ecsmm list                                   the built-in scenarios
              ecsmm run seed-thp                           the seed's benchmark, both modes, seed-style table
              ecsmm run my.yaml --seed 7 --json r.json     a scenario file, results as JSON
              ecsmm run allocator-churn -o out --validate  everything under out/, invariants checked
              ecsmm replay --from DUMP.A --to DUMP.B trace.txt.gz   real snapshot to the next
              ecsmm sweep plan grid.yaml -o manifest.csv && ecsmm sweep run manifest.csv --parallel 2

            Exit codes: 0 done, 1 the simulation failed (validate mode; a snapshot replay that diverges), 2 usage or input error.
            """);
        root.Subcommands.Add(RunCommand.Build(context));
        root.Subcommands.Add(ListCommand.Build(context));
        root.Subcommands.Add(ReplayCommand.Build(context));
        root.Subcommands.Add(SweepCommand.Build(context));
        root.Subcommands.Add(CalibrateCommand.Build(context));
        return root;
    }
}
