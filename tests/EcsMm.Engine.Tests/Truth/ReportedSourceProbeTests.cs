using EcsMm.Mm;
using EcsMm.Tests.Bench;

namespace EcsMm.Tests.Truth;

/// <summary>The served-from-reported measure: host-discarded at allocation, before any write.</summary>
public sealed class ReportedSourceProbeTests
{
    [Fact]
    public void ZeroingAllocation_IsMeasuredBeforeItsWriteRepopulates()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Never, hostZeroes: false);
        g.Reporting.Flush(0);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 16L << 12);
        g.Memory.MadvisePopulateWrite(vma);
        // Baseline: post_alloc_hook zeroed (a write), yet every page counted as served from reported pages.
        Assert.Equal(16, g.Memory.Stats.FromReported[0]);
        Assert.Equal(16, g.Host.Stats.Refaults);
        Assert.False(g.Memory.Probe.AllDiscarded(g.Memory.MappedPfn(vma, 0), 0));
    }

    [Fact]
    public void NeverReportedMemory_IsNotFromReported()
    {
        var g = FaultRig.Small(thp: ThpEnabled.Never);
        var vma = g.Memory.Mmap(g.Memory.CreateProcess(), 16L << 12);
        g.Memory.MadvisePopulateWrite(vma);
        Assert.Equal(16, g.Memory.Stats.Allocations[0]);
        Assert.Equal(0, g.Memory.Stats.FromReported[0]);
        Assert.Equal(0, g.Memory.Stats.Hinted[0]);
    }
}
