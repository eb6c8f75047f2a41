using EcsMm.Bench;
using EcsMm.Truth;

namespace EcsMm.Tests.Bench;

/// <summary>
/// The later series' VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED against v2's trust in host_zeroes_pages: with per-entry
/// feedback a host that did not discard cannot produce a wrong hint.
/// </summary>
public sealed class DeviceInitReportedTests
{
    private static SeedBenchmarkSpec Small() => ScenarioFileTests.Load("seed-thp") with
    {
        GuestMiB = 512,
        SizeMiB = 64,
        Iterations = 4,
        WarmupSteps = 200,
        WriteAfterPopulate = true,
        Bugs = PlantedBugs.DiscardInhibitedWithHostZeroes,
    };

    [Fact]
    public void AHostThatDoesNotDiscard_CorruptsUnderV2_ButNotWithPerEntryFeedback__page_reporting_drain()
    {
        var v2 = SeedBenchmark.RunMode(Small(), 42, hostZeroesPages: true);
        Assert.True(v2.Total.Corruptions > 0, "v2 trusts host_zeroes_pages: the planted host bug must show");

        var feedback = SeedBenchmark.RunMode(Small() with { DeviceInitReported = true }, 42, hostZeroesPages: true);
        Assert.Equal(0, feedback.Total.Corruptions);
        Assert.Equal(0, feedback.Total.Hinted.Sum());
    }

    [Fact]
    public void OnAHostThatDiscards_PerEntryFeedbackHintsExactlyAsV2__page_reporting_drain()
    {
        var spec = Small() with { Bugs = PlantedBugs.None };
        var v2 = SeedBenchmark.RunMode(spec, 42, hostZeroesPages: true);
        var feedback = SeedBenchmark.RunMode(spec with { DeviceInitReported = true }, 42, hostZeroesPages: true);
        Assert.True(v2.Total.Hinted.Sum() > 0);
        Assert.Equal(v2.Total.Hinted, feedback.Total.Hinted);
        Assert.Equal(0, feedback.Total.Corruptions);
    }

    [Fact]
    public void ReportingBelowTheHostPageSize_GivesWrongHintsUnderV2_AndNoneWithFeedback__virtio_balloon_handle_report()
    {
        // page_reporting_order 5 (128 KiB) on a host backing guest RAM with 2 MiB pages: QEMU ignores the unaligned
        // discards, v2 still marks the blocks zeroed, the per-entry answer does not.
        var spec = ScenarioFileTests.Load("seed-nothp") with
        {
            GuestMiB = 512,
            SizeMiB = 64,
            Iterations = 4,
            WarmupSteps = 200,
            WriteAfterPopulate = true,
            ReportingOrder = 5,
            HostPageBytes = 2 << 20,
        };
        var v2 = SeedBenchmark.RunMode(spec, 42, hostZeroesPages: true);
        var feedback = SeedBenchmark.RunMode(spec with { DeviceInitReported = true }, 42, hostZeroesPages: true);
        Assert.True(v2.Total.Corruptions > 0);
        Assert.Equal(0, feedback.Total.Corruptions);
        Assert.True(feedback.Total.Hinted[0] > 0, "blocks the host did discard are still hinted");
        Assert.True(feedback.Total.Hinted[0] <= feedback.Total.FromReported[0]);
    }
}
