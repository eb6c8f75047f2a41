using System.CommandLine;

namespace EcsMm.Scenarios.Cli;

/// <summary>The options every running command shares: --seed, --json, --csv, --out, --validate, --quiet.</summary>
public sealed class CommonOptions
{
    public Option<string?> Seed { get; } = new("--seed") { Description = "Seed fixing every random choice (overrides the scenario's seed), 0..9223372036854775807", HelpName = "N" };

    public Option<FileInfo?> Json { get; } = new("--json") { Description = "Write the results as JSON (deterministic: same scenario and seed, same bytes) to FILE", HelpName = "FILE" };

    public Option<FileInfo?> Csv { get; } = new("--csv") { Description = "Write the metrics as CSV to FILE", HelpName = "FILE" };

    public Option<DirectoryInfo?> Out { get; } = new("--out", "-o") { Description = "Write everything (result.json, result.csv, /proc snapshots, plots) under DIR", HelpName = "DIR" };

    public Option<bool> Validate { get; } = new("--validate") { Description = "Check allocator invariants after every step; exit 1 if any fails or a bad page is found" };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No table, no progress bar (errors still go to stderr)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Seed);
        command.Options.Add(Json);
        command.Options.Add(Csv);
        command.Options.Add(Out);
        command.Options.Add(Validate);
        command.Options.Add(Quiet);
    }
}
