using System.Text;
using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

public sealed class BuddyDumpReaderTests
{
    private const string SmallDump =
        "Z DMA32 4096 258013 258013 242093 7 11086 13857 16628 0\n"
        + "F DMA32 0 1 0 18269 0\n"
        + "F DMA32 1 1 0 18270 1\n"
        + "F DMA32 1 1 1 18274 0\n"
        + "C DMA32 0 3 13857 63 0\n"
        + "P DMA32 0 3 1 0 4000 0\n"
        + "P DMA32 0 3 1 1 4002 0\n"
        + "P DMA32 0 12 9 0 512 1\n"
        + "B DMA32 4096 1\n"
        + "B DMA32 4608 0\n";

    private static BuddyDump ReadText(string text, string name = "dump.txt") =>
        BuddyDumpReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)), name);

    [Fact]
    public void ReadsEveryLineKindIntoThePlainModel()
    {
        BuddyDump dump = ReadText(SmallDump);
        BuddyDumpZone zone = Assert.Single(dump.Zones);
        Assert.Equal("DMA32", zone.Name);
        Assert.Equal((4096L, 258013L, 258013L, 242093L, 7L), (zone.StartPfn, zone.Spanned, zone.Present, zone.Managed, zone.NrFree));
        Assert.Equal((11086L, 13857L, 16628L, 0L), (zone.Min, zone.Low, zone.High, zone.Boost));
        Assert.Equal(
            [new BuddyDumpFreeBlock(0, 1, 0, 18269, false), new BuddyDumpFreeBlock(1, 1, 0, 18270, true), new BuddyDumpFreeBlock(1, 1, 1, 18274, false)],
            zone.FreeBlocks);
        Assert.Equal([new BuddyDumpPcpParameters(0, 3, 13857, 63, 0)], zone.PcpParameters);
        Assert.Equal(new BuddyDumpPcpPage(0, 12, 9, 0, 512, 1), zone.PcpPages[2]);
        Assert.Equal([new BuddyDumpPageblock(4096, 1), new BuddyDumpPageblock(4608, 0)], zone.Pageblocks);
        Assert.Equal(9, zone.Pageblocks[1].PageblockIndex);
        Assert.Equal([1L, 2L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L], zone.FreeBlockCountsPerOrder());
        Assert.Equal(5, zone.FreePages());
        Assert.Equal(516, zone.PcpPagesOnCpu(0));
    }

    [Theory]
    [InlineData("F DMA32 0 1 0 18269 0\n", 1, "zone of the preceding Z line")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265\n", 1, "11 fields, found 10")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nF DMA 11 0 0 0 0\n", 2, "order in 0..10, found 11")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nF DMA 5 0 0 288 0\nF DMA 5 0 2 320 0\n", 3, "list position 1")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nF DMA32 5 0 0 288 0\n", 2, "zone of the preceding Z line (DMA)")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nX DMA 1\n", 2, "a line kind Z, F, P, C or B")]
    [InlineData("Z DMA 1 4095 3998 3840 -3808 177 221 265 0\n", 1, "nr_free as a non-negative decimal number, found '-3808'")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nF DMA 5 6 0 288 0\n", 2, "migratetype in 0..5, found 6")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nF DMA 5 0 0 288 2\n", 2, "reported flag in 0..1, found 2")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nP DMA 0 15 9 0 512 1\n", 2, "pcp list index in 0..14, found 15")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nC DMA 0 1 2 3\n", 2, "7 fields, found 6")]
    [InlineData("Z DMA 1 4095 3998 3840 3808 177 221 265 0\nB DMA 1 x\n", 2, "pageblock migratetype as a non-negative decimal number")]
    public void MalformedLinesNameFileLineAndExpectation(string text, long line, string expected)
    {
        var ex = Assert.Throws<TraceFormatException>(() => ReadText(text, "buddydump.bad.txt"));
        Assert.Equal("buddydump.bad.txt", ex.Source);
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void BootDumpHasTheValuesOfItsFile()
    {
        // zcat buddydump.00_boot.txt.gz | grep '^[ZC]' ; cut -c1 | sort | uniq -c  ->  512 B, 2 C, 214 F, 2498 P, 2 Z
        BuddyDump dump = BuddyDumpReader.Read(TraceData.BuddyDumpPath("00_boot"));
        Assert.Equal(["DMA", "DMA32"], dump.Zones.Select(z => z.Name));
        BuddyDumpZone dma = dump.Zone("DMA");
        Assert.Equal((1L, 4095L, 3998L, 3840L, 3808L), (dma.StartPfn, dma.Spanned, dma.Present, dma.Managed, dma.NrFree));
        Assert.Equal((177L, 221L, 265L, 0L), (dma.Min, dma.Low, dma.High, dma.Boost));
        Assert.Equal(new BuddyDumpPageblock(1, 0), dma.Pageblocks[0]);
        BuddyDumpZone dma32 = dump.Zone("DMA32");
        Assert.Equal(new BuddyDumpFreeBlock(0, 0, 0, 59015, false), dma32.FreeBlocks[0]);
        Assert.Equal([new BuddyDumpPcpParameters(0, 2599, 13857, 63, 0)], dma32.PcpParameters);
        Assert.Equal(214, dump.Zones.Sum(z => z.FreeBlocks.Count));
        Assert.Equal(2498, dump.Zones.Sum(z => z.PcpPages.Count));
        Assert.Equal(512, dump.Zones.Sum(z => z.Pageblocks.Count));
    }

    [Fact]
    public void AfterBalloonInitTheReportedBlocksAreOneOrder9And191Order10()
    {
        // README: "~2 s after the balloon driver registered, one pass reported 1 order-9 and 191 order-10 blocks."
        BuddyDumpZone zone = BuddyDumpReader.Read(TraceData.BuddyDumpPath("01_after_balloon_init")).Zone("DMA32");
        Assert.Equal(1, zone.FreeBlocks.Count(b => b.Reported && b.Order == 9));
        Assert.Equal(191, zone.FreeBlocks.Count(b => b.Reported && b.Order == 10));
        Assert.Equal(192, zone.FreeBlocks.Count(b => b.Reported));
    }

    [Theory]
    [MemberData(nameof(TraceData.SnapshotNames), MemberType = typeof(TraceData))]
    public void EveryShippedDumpIsSelfConsistent(string snapshot)
    {
        BuddyDump dump = BuddyDumpReader.Read(TraceData.BuddyDumpPath(snapshot));
        Assert.Equal(["DMA", "DMA32"], dump.Zones.Select(z => z.Name));
        foreach (BuddyDumpZone zone in dump.Zones)
        {
            // NR_FREE_PAGES counts buddy pages only: the F lines add up to it in every shipped dump.
            Assert.Equal(zone.NrFree, zone.FreePages());

            // pcp->count is in pages (a THP counts 512): it equals the P lines' pages.
            foreach (BuddyDumpPcpParameters pcp in zone.PcpParameters)
            {
                Assert.Equal(pcp.Count, zone.PcpPagesOnCpu(pcp.Cpu));
            }

            foreach (BuddyDumpFreeBlock block in zone.FreeBlocks)
            {
                Assert.Equal(0, block.Pfn & ((1L << block.Order) - 1));
                Assert.InRange(block.Pfn, zone.StartPfn, zone.StartPfn + zone.Spanned - 1);
            }

            // pcp list index -> order as buddydump.c computes it: pidx / 3, and the THP lists hold pageblock_order.
            foreach (BuddyDumpPcpPage page in zone.PcpPages)
            {
                int expectedOrder = page.ListIndex / 3 <= 3 ? page.ListIndex / 3 : 9;
                Assert.Equal(expectedOrder, page.Order);
            }
        }
    }
}
