using System.IO.Compression;
using System.Text;
using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

/// <summary>How <see cref="FtraceReader"/> consumes its input: forward-only, lazily, from any stream.</summary>
public sealed class FtraceReaderStreamingTests
{
    [Fact]
    public void ReadsGzipFromANonSeekableStream()
    {
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write("mm_page_free: page=... pfn=0x10 order=0\n"u8);
        }

        using var reader = new FtraceReader(new ForwardOnlyStream(compressed.ToArray(), failAfter: int.MaxValue), "pipe");
        Assert.Equal(0x10, Assert.Single(reader.ReadAll()).Pfn);
    }

    [Fact]
    public void ReturnsEventsBeforeTheRestOfTheInputIsRead()
    {
        // 4 MiB of lines; the stream fails once more than 256 KiB has been read, so a reader that loaded the
        // whole input first would throw before returning the first event.
        var text = new StringBuilder();
        for (int i = 0; text.Length < 4 << 20; i++)
        {
            text.Append("mm_page_free: page=... pfn=").Append(i).Append(" order=0\n");
        }

        using var reader = new FtraceReader(new ForwardOnlyStream(Encoding.ASCII.GetBytes(text.ToString()), failAfter: 256 << 10), "big");
        Assert.True(reader.TryRead(out TraceEvent first));
        Assert.Equal(0, first.Pfn);
        Assert.True(reader.TryRead(out TraceEvent second));
        Assert.Equal(1, second.Pfn);
        Assert.Throws<IOException>(() => reader.ReadAll().Count());
    }

    [Theory]
    [InlineData("     kworker/u2:1-45      [000] d..1.    14.466064: ", 45, 14_466_064_000L)]
    [InlineData("           <...>-123     [001] .....     1.000001: ", 123, 1_000_001_000L)]
    [InlineData("     Web Content-2048    [003] ..s1.  100.5: ", 2048, 100_500_000_000L)]
    [InlineData("        ksoftirqd/0-14    [000] 12.123456789: ", 14, 12_123_456_789L)]
    public void PrefixVariantsGivePidCpuAndTimestamp(string prefix, int pid, long timestampNs)
    {
        TraceEvent? ev = FtraceReader.ParseLine(prefix + "mm_page_free: page=00000000cef27cbb pfn=0xe683 order=0");
        Assert.NotNull(ev);
        Assert.Equal(pid, ev.Value.Pid);
        Assert.Equal(timestampNs, ev.Value.TimestampNs);
        Assert.Equal(0xe683, ev.Value.Pfn);
        Assert.InRange(ev.Value.Cpu, 0, 3);
    }

    /// <summary>A read-only, non-seekable stream that throws after <c>failAfter</c> bytes.</summary>
    private sealed class ForwardOnlyStream(byte[] data, int failAfter) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position > failAfter)
            {
                throw new IOException("read past the allowed prefix");
            }

            int n = Math.Min(count, data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
