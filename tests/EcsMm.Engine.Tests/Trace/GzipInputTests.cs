using System.IO.Compression;
using System.Text;
using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

/// <summary>A gzip input is read whole or refused: a file that ends early never replays a prefix of its trace.</summary>
public sealed class GzipInputTests
{
    private static byte[] Compressed(string text)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(Encoding.ASCII.GetBytes(text));
        }

        return ms.ToArray();
    }

    private static string Lines(int n)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            sb.Append("mm_page_free: page=... pfn=").Append(i).Append(" order=0\n");
        }

        return sb.ToString();
    }

    [Fact]
    public void AWholeFileReadsToTheEnd()
    {
        using var reader = new FtraceReader(new MemoryStream(Compressed(Lines(20_000))), "t.gz");
        Assert.Equal(20_000, reader.ReadAll().Count());
    }

    [Theory]
    [InlineData(1)] // the trailer's last byte: every line decompresses, only the length is missing
    [InlineData(8)] // the whole trailer: the data is complete, the check is not
    [InlineData(9)]
    [InlineData(-2)] // half the file
    public void AFileCutShortIsInvalidData_EvenWhenEveryLineItGaveIsWhole(int cut)
    {
        var full = Compressed(Lines(20_000));
        var length = cut > 0 ? full.Length - cut : full.Length / -cut;
        using var reader = new FtraceReader(new MemoryStream(full, 0, length), "t.gz");
        var e = Assert.Throws<InvalidDataException>(() => reader.ReadAll().Count());
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void ZeroPaddingAfterTheTrailerIsAccepted_OtherBytesAreNot()
    {
        var full = Compressed(Lines(2_000));
        using (var padded = new FtraceReader(new MemoryStream([.. full, .. new byte[1024]]), "t.gz"))
        {
            Assert.Equal(2_000, padded.ReadAll().Count());
        }

        // A truncated file whose cut happens to end in zero bytes is still refused.
        using var cutThenZeros = new FtraceReader(new MemoryStream([.. full[..^8], .. new byte[16]]), "t.gz");
        Assert.Throws<InvalidDataException>(() => cutThenZeros.ReadAll().Count());
    }

    private static int LinesInFile(byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ecsmm-gz-{Guid.NewGuid():N}.gz");
        File.WriteAllBytes(path, content);
        try
        {
            using var reader = FtraceReader.Open(path);
            return reader.ReadAll().Count();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AFileOfSeveralMembersIsCheckedMemberByMember_AndReadWhole()
    {
        byte[] two = [.. Compressed(Lines(3_000)), .. Compressed(Lines(2_000))];
        Assert.Equal(5_000, LinesInFile(two));
        Assert.Equal(5_000, LinesInFile([.. two, .. new byte[5_000]]));   // zero padding of any length

        var cut = Assert.Throws<InvalidDataException>(() => LinesInFile(two[..^3]));
        Assert.Contains("member 2", cut.Message);
        Assert.Contains("truncated", cut.Message);

        var garbage = Assert.Throws<InvalidDataException>(() => LinesInFile([.. two, .. "junk"u8.ToArray()]));
        Assert.Contains("bytes after its gzip data", garbage.Message);
        Assert.Throws<InvalidDataException>(() => LinesInFile([.. two, 0x1f, 0x8b, 0x08, .. "junk"u8.ToArray()]));   // a broken third member
    }

    [Fact]
    public void ConcatenatedMembersOnAStreamThatIsNotAFileAreRefusedWithTheRemedy()
    {
        var two = Compressed(Lines(10)).Concat(Compressed(Lines(5))).ToArray();
        using var reader = new FtraceReader(new MemoryStream(two), "t.gz");
        var e = Assert.Throws<InvalidDataException>(() => reader.ReadAll().Count());
        Assert.Contains("gunzip -c", e.Message);
    }

    [Fact]
    public void TheTrailerIsFoundWhateverTheReadSizes()
    {
        // One byte at a time through the tail keeper, then in big reads: the kept tail is the same.
        var full = Compressed(Lines(3_000));
        var small = new TailKeepingStream(new MemoryStream(full));
        var one = new byte[1];
        while (small.Read(one) > 0)
        {
        }

        var big = new TailKeepingStream(new MemoryStream(full));
        big.CopyTo(Stream.Null, 1 << 16);
        var kept = Math.Min(full.Length, TailKeepingStream.Capacity);
        Assert.Equal(full[^kept..], small.Tail.ToArray());
        Assert.Equal(full[^kept..], big.Tail.ToArray());
    }
}
