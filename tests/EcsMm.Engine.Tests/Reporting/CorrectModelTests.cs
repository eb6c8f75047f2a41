using EcsMm.Ecs;
using EcsMm.Mm.Systems;
using EcsMm.Mm;
using EcsMm.Tests.Mm;
using EcsMm.Truth;
using EcsMm.Virt;

namespace EcsMm.Tests.Reporting;

/// <summary>
/// The correct model under a seeded random workload (allocations of every kind, guest writes, frees, balloon
/// inflate/deflate, reporting passes and flushes) never corrupts data, really skips zeroing, and keeps the
/// allocator consistent. Run as ECS systems on a pipeline.
/// </summary>
public sealed class CorrectModelTests
{
    /// <summary>A Workload-phase system: one random guest action per step, then 0..1 s of simulated time.</summary>
    private sealed class RandomGuest : SystemBase
    {
        private readonly ReportingRig _rig;
        private readonly bool _balloon;
        private readonly List<(int Pfn, int Order)> _held = [];
        private static readonly int[] Orders = [0, 0, 0, 1, 3, 4, 8, 9, 9, 10];

        public RandomGuest(ReportingRig rig, bool balloon)
            : base("RandomGuest")
        {
            _rig = rig;
            _balloon = balloon;
        }

        public override void Update(World world, in SimTime time)
        {
            var rnd = world.Random;
            var action = rnd.NextInt(100);
            if (action < 45 || _held.Count == 0)
            {
                var order = Orders[rnd.NextInt(Orders.Length)];
                var gfp = rnd.NextInt(4) switch
                {
                    0 => Gfp.Kernel,
                    1 => Gfp.Kernel | Gfp.Zero,
                    2 => Gfp.HighUserMovable,
                    _ => Gfp.HighUserMovable | Gfp.Zero,
                };
                var r = _rig.Alloc.AllocPages(gfp, order);
                if (r.Success)
                {
                    // Every owner writes at least part of its memory.
                    _rig.Memory.Write(r.Pfn, 1 + rnd.NextInt(1 << order));
                    _held.Add((r.Pfn, order));
                }
            }
            else if (action < 85)
            {
                var i = rnd.NextInt(_held.Count);
                var (pfn, order) = _held[i];
                _held[i] = _held[^1];
                _held.RemoveAt(_held.Count - 1);
                _rig.Alloc.FreePages(pfn, order);
            }
            else if (action < 92 && _balloon)
            {
                _rig.Balloon.TargetPages = rnd.NextInt(2048);
            }
            else if (action < 95)
            {
                _rig.Alloc.DrainAllPages();
            }
            else if (action < 97)
            {
                _rig.Reporting.Flush(rnd.NextInt(4) * 512L);
            }

            _rig.Clock.Advance(rnd.NextLong(0, 1_000_000_000));
        }
    }

    [Theory]
    [InlineData(4096, true, 11UL)]
    [InlineData(4096, true, 12UL)]
    [InlineData(2 << 20, false, 13UL)]
    public void RandomWorkloadNeverCorruptsAndSkipsZeroing(int hostPageBytes, bool balloon, ulong seed)
    {
        var rig = ReportingRig.Booted(mib: 128, host: new HostConfig { HostPageBytes = hostPageBytes });
        rig.Oracle.Validate = true; // the first corruption would throw
        var world = new World(seed);
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Workload, new RandomGuest(rig, balloon));
        pipeline.Add(PhaseNames.Reporting, new PageReportingSystem(rig.Reporting));
        pipeline.Add(PhaseNames.Balloon, new BalloonSystem(rig.Balloon));
        pipeline.Run(world, steps: 4000);

        Assert.Equal(0, rig.Oracle.Corruptions);
        Assert.True(rig.Oracle.CorrectSkips > 0, "no zeroing was skipped");
        Assert.True(rig.Reporting.Stats.Passes > 10);
        Assert.True(rig.Host.Stats.Refaults > 0);
        TestAllocators.AssertConsistent(rig.Alloc);
    }

    [Fact]
    public void ReportingSystemRunsThePassWhenTheDelayedWorkFired__page_reporting_process()
    {
        var rig = ReportingRig.Booted(mib: 256);
        var world = new World(seed: 1);
        var pipeline = new Pipeline();
        pipeline.Add(PhaseNames.Reporting, new PageReportingSystem(rig.Reporting));
        pipeline.Run(world, steps: 1);
        Assert.Equal(0, rig.Reporting.Stats.Passes);
        rig.Clock.AdvanceTo(PageReporting.DefaultDelayNs);
        Assert.True(rig.Reporting.WorkDue);
        pipeline.Run(world, steps: 1);
        Assert.Equal(1, rig.Reporting.Stats.Passes);
        Assert.False(rig.Reporting.WorkDue);
    }

    [Fact]
    public void SameSeedSameCounters()
    {
        static string Run()
        {
            var rig = ReportingRig.Booted(mib: 64);
            var world = new World(7);
            var pipeline = new Pipeline();
            pipeline.Add(PhaseNames.Workload, new RandomGuest(rig, balloon: true));
            pipeline.Add(PhaseNames.Reporting, new PageReportingSystem(rig.Reporting));
            pipeline.Add(PhaseNames.Balloon, new BalloonSystem(rig.Balloon));
            pipeline.Run(world, steps: 1000);
            var s = rig.Reporting.Stats;
            return $"{s.Passes} {s.ReportCalls} {s.PagesReported} {rig.Host.Stats.Populates} {rig.Host.Stats.Refaults} {rig.Oracle.CorrectSkips} {rig.Oracle.PagesZeroed[0]}";
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void AGuestWithAVirtioBalloonReportsOnItsPipelineAndTheOracleWatchesItsAllocations()
    {
        var guest = new Guest(MemoryConfig.SingleZone(256L << 20), seed: 3).Boot();
        var v = guest.AttachVirtioBalloon(hostZeroesPages: true);
        Assert.Same(v.Oracle, guest.Alloc.AllocZeroingHook);
        guest.World.Clock.AdvanceTo(PageReporting.DefaultDelayNs);
        guest.Step();
        Assert.Equal(1, v.Reporting.Stats.Passes);
        Assert.True(v.Host.Stats.DiscardCalls > 0);
        var r = guest.Alloc.AllocPages(Gfp.HighUserMovable | Gfp.Zero, 9);
        Assert.Equal(PageHint.Zeroed, r.Hint);
        Assert.Equal(1, v.Oracle.CorrectSkips);
        v.Balloon.TargetPages = 10;
        guest.Step();
        Assert.Equal(10, v.Balloon.BalloonPages);
    }
}
