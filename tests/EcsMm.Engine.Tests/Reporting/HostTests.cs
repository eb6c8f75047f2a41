using EcsMm.Mm;
using EcsMm.Truth;
using EcsMm.Virt;

namespace EcsMm.Tests.Reporting;

/// <summary>The host: virtio_balloon_handle_report, ram_block_discard_range, populate on first write, the zero page on read.</summary>
public sealed class HostTests
{
    private static (MemMap Map, Host Host, GuestMemory Memory) Make(HostConfig config, int pages = 4096)
    {
        var map = new MemMap(pages);
        var host = new Host(map, config);
        return (map, host, new GuestMemory(map, host));
    }

    [Fact]
    public void DiscardDropsBackingAndContentsReadAsZero__ram_block_discard_range()
    {
        var (map, host, mem) = Make(new HostConfig());
        mem.Write(0, 512);
        Assert.Equal(512, host.Stats.Populates);
        Assert.Equal(0, host.Stats.Refaults);
        host.HandleReport([new ReportedBlock(0, 9)]);
        Assert.True(map.ContentIsZero(0) && map.ContentIsZero(511));
        Assert.False(map.HostBacked(0));
        Assert.Equal(512, host.Stats.DiscardedHostPages);
        Assert.True(mem.Read(0, 512));
        Assert.Equal(512, host.Stats.ZeroPageReads);
    }

    [Fact]
    public void FirstWriteToADiscardedPageIsOneRefaultPerHostPage__ram_block_discard_range()
    {
        var (_, host, mem) = Make(new HostConfig());
        mem.Write(0, 512);
        host.HandleReport([new ReportedBlock(0, 9)]);
        mem.Write(0, 2);
        mem.Write(0, 2); // already backed
        Assert.Equal(514, host.Stats.Populates);
        Assert.Equal(2, host.Stats.Refaults);

        var (_, huge, hugeMem) = Make(new HostConfig { HostPageBytes = 2 << 20 });
        hugeMem.Write(0, 1);
        Assert.Equal(1, huge.Stats.Populates); // one 2 MiB host page backs all 512
        huge.HandleReport([new ReportedBlock(0, 9)]);
        hugeMem.Write(100, 1);
        hugeMem.Write(7, 1);
        Assert.Equal(2, huge.Stats.Populates);
        Assert.Equal(1, huge.Stats.Refaults);
    }

    [Fact]
    public void InhibitedOrPoisonedDeviceDiscardsNothing__virtio_balloon_handle_report()
    {
        foreach (var config in new[] { new HostConfig { DiscardInhibited = true }, new HostConfig { PoisonValue = 0x5a } })
        {
            var (map, host, mem) = Make(config);
            mem.Write(0, 512);
            host.HandleReport([new ReportedBlock(0, 9)]);
            Assert.False(map.ContentIsZero(0));
            Assert.True(map.HostBacked(0));
            Assert.Equal(1, host.Stats.SkippedInhibitedOrPoison);
            Assert.Equal(0, host.Stats.DiscardCalls);
        }
    }

    [Fact]
    public void RangeSmallerThanOrUnalignedToTheHostPageIsIgnored__virtio_balloon_handle_report()
    {
        var (map, host, mem) = Make(new HostConfig { HostPageBytes = 2 << 20 });
        mem.Write(0, 2048);
        host.HandleReport([new ReportedBlock(0, 8), new ReportedBlock(1024, 9), new ReportedBlock(1536, 8)]);
        Assert.Equal(2, host.Stats.SkippedUnaligned);
        Assert.False(map.ContentIsZero(0));
        Assert.True(map.ContentIsZero(1024));
        Assert.False(map.ContentIsZero(1536));
    }

    [Fact]
    public void HostPageSizeMustBe4KiBOr2MiB()
    {
        Assert.Throws<ArgumentException>(() => new Host(new MemMap(64), new HostConfig { HostPageBytes = 65536 }));
        Assert.Equal(0, new HostConfig().HostPageOrder);
        Assert.Equal(9, new HostConfig { HostPageBytes = 2 << 20 }.HostPageOrder);
    }

    [Fact]
    public void GuestWritesDirtyAndZeroingMakesZero()
    {
        var (map, host, mem) = Make(new HostConfig());
        mem.Write(10, 3);
        Assert.False(map.ContentIsZero(11));
        mem.WriteZeros(10, 3);
        Assert.True(map.ContentIsZero(11));
        Assert.True(map.HostBacked(11));
        Assert.Equal(3, host.Stats.Populates);
        Assert.Equal(3, mem.PagesWritten);
        Assert.Equal(3, mem.PagesZeroed);
    }
}
