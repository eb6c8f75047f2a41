namespace EcsMm.Scenarios.Tests;

/// <summary>A small valid scenario that runs entirely on today's engine (a 256 MiB guest, allocator churn).</summary>
internal static class ScenarioText
{
    public const string Small = """
        name: small
        description: "test scenario"
        seed: 5
        iterations: 3
        guest:
          memory: 256M
          cpus: 1
        snapshots: [boot, end]
        iteration:
          - churn: {operations: 3000, live: 8M, min_order: 0, max_order: 3, migratetype: movable, free_at_end: false, zero: true}
          - sleep: {seconds: 0.5}
        """;
}
