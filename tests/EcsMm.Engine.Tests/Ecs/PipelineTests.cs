using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

[Collection(EventSourceCollection.Name)]
public sealed class PipelineTests
{
    private static DelegateSystem Logging(string name, List<string> log) => new(name, (World _, in SimTime _) => log.Add(name));

    [Fact]
    public void DefaultPhasesRunInTheFixedOrder()
    {
        var pipeline = new Pipeline();
        Assert.Equal(
            ["Workload", "Faults", "Allocation", "Zeroing", "Frees", "PcpDrain", "Reporting", "Host", "Balloon", "Validate", "Metrics"],
            pipeline.PhaseOrder);

        var log = new List<string>();
        foreach (var phase in PhaseNames.Default.Reverse())
        {
            pipeline.Add(phase, Logging("sys-" + phase, log));
        }

        pipeline.Run(new World(seed: 1));
        Assert.Equal(PhaseNames.Default.Select(p => "sys-" + p), log);
    }

    [Fact]
    public void SystemsInAPhaseRunInRegistrationOrder()
    {
        var pipeline = new Pipeline();
        var log = new List<string>();
        pipeline.Add(PhaseNames.Frees, Logging("c", log));
        pipeline.Add(PhaseNames.Frees, Logging("a", log));
        pipeline.Add(PhaseNames.Frees, Logging("b", log));
        pipeline.Run(new World(seed: 1));
        Assert.Equal(["c", "a", "b"], log);
    }

    [Fact]
    public void BeforeAndAfterConstraintsReorderSystems()
    {
        var pipeline = new Pipeline();
        var log = new List<string>();
        pipeline.Add(PhaseNames.Allocation, Logging("rmqueue", log));
        pipeline.Add(PhaseNames.Allocation, Logging("post-alloc", log));
        pipeline.AddBefore(PhaseNames.Allocation, "rmqueue", Logging("pcp-refill", log));
        pipeline.Add(PhaseNames.Allocation, Logging("stats", log)).After("post-alloc").Before("rmqueue");
        pipeline.Run(new World(seed: 1));

        // rmqueue waits for pcp-refill and stats, stats for post-alloc; among ready systems the earliest registered goes first.
        Assert.Equal(["post-alloc", "pcp-refill", "stats", "rmqueue"], log);
        Assert.Equal(log, pipeline.SystemOrder(PhaseNames.Allocation));
    }

    [Fact]
    public void AddAfterPlacesAPlugInRightAfterItsAnchor()
    {
        var pipeline = new Pipeline();
        var log = new List<string>();
        pipeline.Add(PhaseNames.Reporting, Logging("page-reporting-cycle", log));
        pipeline.Add(PhaseNames.Reporting, Logging("report-stats", log));
        pipeline.AddAfter(PhaseNames.Reporting, "page-reporting-cycle", Logging("probe", log)).Before("report-stats");
        pipeline.Run(new World(seed: 1));
        Assert.Equal(["page-reporting-cycle", "probe", "report-stats"], log);
    }

    [Fact]
    public void ACycleIsAClearError()
    {
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Host, new DelegateSystem("a", (World _, in SimTime _) => { })).Before("b");
        pipeline.Add(PhaseNames.Host, new DelegateSystem("b", (World _, in SimTime _) => { })).Before("c");
        pipeline.Add(PhaseNames.Host, new DelegateSystem("c", (World _, in SimTime _) => { })).Before("a");
        var error = Assert.Throws<PipelineException>(pipeline.Validate);
        Assert.Contains("cycle", error.Message);
        Assert.Contains("a, b, c", error.Message);
        Assert.Throws<PipelineException>(() => pipeline.Run(new World(seed: 1)));
    }

    [Fact]
    public void AnUnknownSystemNameIsAClearError()
    {
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Host, new DelegateSystem("a", (World _, in SimTime _) => { })).After("missing");
        var error = Assert.Throws<PipelineException>(pipeline.Validate);
        Assert.Contains("'missing'", error.Message);
        Assert.Throws<PipelineException>(() => pipeline.Add("NoSuchPhase", new DelegateSystem("x", (World _, in SimTime _) => { })));
        Assert.Throws<PipelineException>(() => pipeline.Disable("nobody"));
    }

    [Fact]
    public void AConstraintAcrossPhasesIsAClearError()
    {
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Frees, new DelegateSystem("free", (World _, in SimTime _) => { }));
        pipeline.Add(PhaseNames.Host, new DelegateSystem("discard", (World _, in SimTime _) => { })).After("free");
        var error = Assert.Throws<PipelineException>(pipeline.Validate);
        Assert.Contains("phase 'Frees'", error.Message);
    }

    [Fact]
    public void DuplicateSystemOrPhaseNamesAreRejected()
    {
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Frees, new DelegateSystem("free", (World _, in SimTime _) => { }));
        Assert.Throws<PipelineException>(() => pipeline.Add(PhaseNames.Host, new DelegateSystem("free", (World _, in SimTime _) => { })));
        Assert.Throws<PipelineException>(() => pipeline.AddPhase(PhaseNames.Frees));
    }

    [Fact]
    public void APlugInPhaseRunsRightAfterItsAnchorPhase()
    {
        var pipeline = new Pipeline();
        pipeline.AddPhaseAfter(PhaseNames.Zeroing, "ZeroingAudit");
        pipeline.AddPhaseBefore(PhaseNames.Workload, "Setup");
        var order = pipeline.PhaseOrder;
        Assert.Equal("Setup", order[0]);
        Assert.Equal(order.ToList().IndexOf(PhaseNames.Zeroing) + 1, order.ToList().IndexOf("ZeroingAudit"));
        Assert.Equal(PhaseNames.Frees, order[order.ToList().IndexOf("ZeroingAudit") + 1]);

        var log = new List<string>();
        pipeline.Add(PhaseNames.Frees, Logging("frees", log));
        pipeline.Add("ZeroingAudit", Logging("audit", log));
        pipeline.Add(PhaseNames.Zeroing, Logging("zero", log));
        pipeline.Run(new World(seed: 1));
        Assert.Equal(["zero", "audit", "frees"], log);
    }

    [Fact]
    public void ADisabledSystemDoesNotRunButKeepsItsPlace()
    {
        var pipeline = new Pipeline();
        var log = new List<string>();
        pipeline.Add(PhaseNames.Balloon, Logging("inflate", log));
        pipeline.Add(PhaseNames.Balloon, Logging("deflate", log));
        pipeline.Disable("inflate");
        pipeline.Run(new World(seed: 1));
        Assert.Equal(["deflate"], log);
        Assert.Equal(0, pipeline.System("inflate").Calls);

        pipeline.Enable("inflate");
        pipeline.Run(new World(seed: 1));
        Assert.Equal(["deflate", "inflate", "deflate"], log);
    }

    [Fact]
    public void CommandsArePlayedBackAtTheEndOfEachPhase()
    {
        var world = new World(seed: 1);
        var requests = world.CreateTable("requests");
        requests.AddColumn<FolioOrder>();
        var seenInSamePhase = -1;
        var seenInNextPhase = -1;
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Workload, new DelegateSystem("make", (World w, in SimTime _) => w.Commands.Create(w.Table("requests"))));
        pipeline.Add(PhaseNames.Workload, new DelegateSystem("look-same", (World w, in SimTime _) => seenInSamePhase = w.Table("requests").Count));
        pipeline.Add(PhaseNames.Faults, new DelegateSystem("look-next", (World w, in SimTime _) => seenInNextPhase = w.Table("requests").Count));
        pipeline.Run(world);
        Assert.Equal(0, seenInSamePhase);
        Assert.Equal(1, seenInNextPhase);
        Assert.Equal(1, pipeline.PhaseNamed(PhaseNames.Workload).Runs);
    }

    [Fact]
    public void SystemsSeeTheClockAndStepAndCountersAreCollected()
    {
        var world = new World(seed: 1);
        var times = new List<SimTime>();
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Workload, new DelegateSystem("tick", (World w, in SimTime _) => w.Clock.Advance(1_000)));
        pipeline.Add(PhaseNames.Metrics, new DelegateSystem("sample", (World _, in SimTime t) => times.Add(t)));
        pipeline.Run(world, steps: 3);

        Assert.Equal([new SimTime(1_000, 0), new SimTime(2_000, 1), new SimTime(3_000, 2)], times);
        Assert.Equal(3, world.Step);
        Assert.Equal(3, pipeline.System("tick").Calls);
        Assert.True(pipeline.System("tick").ElapsedTicks > 0);

        var perf = pipeline.PerfLog();
        Assert.Contains("tick", perf);
        Assert.Contains("sample", perf);
        Assert.Contains("(command playback)", perf);
        Assert.Matches(@"Workload\s+tick\s+3\s", perf);

        pipeline.ResetStats();
        Assert.Equal(0, pipeline.System("tick").Calls);
    }

    [Fact]
    public void SystemBaseNamesASystemAfterItsClass()
    {
        var pipeline = new Pipeline();
        var handle = pipeline.Add(PhaseNames.Validate, new CountingSystem());
        Assert.Equal("CountingSystem", handle.Name);
        var world = new World(seed: 1);
        pipeline.Run(world, steps: 2);
        Assert.Equal(2, ((CountingSystem)handle.System).Updates);
    }

    private sealed class CountingSystem : SystemBase
    {
        public int Updates { get; private set; }

        public override void Update(World world, in SimTime time) => Updates++;
    }

    [Fact]
    public void ExtraCommandBuffersArePlayedBackAfterTheWorldBuffer()
    {
        var world = new World(seed: 1);
        var table = world.CreateTable("requests");
        table.AddColumn<FolioOrder>();
        var mine = world.CreateCommandBuffer();
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Frees, new DelegateSystem("record", (World w, in SimTime _) =>
        {
            mine.Set(mine.Create(table), new FolioOrder(2));
            w.Commands.Set(w.Commands.Create(table), new FolioOrder(1));
        }));
        pipeline.Run(world);
        Assert.Equal([1, 2], table.Span<FolioOrder>().ToArray().Select(o => o.Value));
        Assert.Equal([world.Commands, mine], world.CommandBuffers);
    }

    [Fact]
    public void ASeededRunIsDeterministic()
    {
        static long[] RunOnce(ulong seed)
        {
            var world = new World(seed);
            var requests = world.CreateTable("requests");
            var sizes = requests.AddColumn<long>("size");
            var pipeline = new Pipeline();
            pipeline.Add(PhaseNames.Workload, new DelegateSystem("arrive", (World w, in SimTime _) =>
            {
                for (var i = w.Random.NextInt(4); i >= 0; i--)
                {
                    w.Commands.Set(sizes, w.Commands.Create(requests), w.Random.NextLong(1, 1 << 20));
                }
            }));
            pipeline.Add(PhaseNames.Frees, new DelegateSystem("retire", (World w, in SimTime _) =>
            {
                foreach (var e in requests.Entities)
                {
                    if (w.Random.Chance(0.3))
                    {
                        w.Commands.Destroy(requests, e);
                    }
                }
            }));
            pipeline.Run(world, steps: 50);
            return [.. sizes.Data.AsSpan(0, requests.Count).ToArray(), requests.Count];
        }

        Assert.Equal(RunOnce(99), RunOnce(99));
        Assert.NotEqual(RunOnce(99), RunOnce(100));
    }

    [Fact]
    public void ASteadyStateStepDoesNotAllocate()
    {
        // Runs in the event-source collection, so no listener is attached while it measures.
        var world = new World(seed: 1);
        var pipeline = new Pipeline();
        var table = world.CreateTable("t");
        table.AddColumn<FolioOrder>();
        table.CreateMany(100);
        pipeline.Add(PhaseNames.Frees, new NoOpSystem());
        pipeline.Run(world, steps: 2);
        var (calls, clean) = AllocationProbe.RunUntilACleanRound(() => pipeline.Run(world, steps: 1));
        Assert.True(clean, "every round of 100 steps allocated");
        Assert.Equal(2 + calls, pipeline.System(nameof(NoOpSystem)).Calls);
    }

    private sealed class NoOpSystem : SystemBase
    {
        public override void Update(World world, in SimTime time)
        {
        }
    }
}
