using System.Buffers.Binary;
using System.IO.Hashing;

namespace EcsMm.Trace;

/// <summary>
/// The decompressed side of a gzip input, refusing to end early. .NET's GZipStream reports the end of the data when
/// its input ends in the middle of a member, so a truncated file would otherwise replay a prefix of the trace with
/// no error whenever the cut falls on a line boundary. At the end, the file's last 8 bytes, the gzip trailer (RFC 1952
/// §2.3.1: CRC-32, then the length mod 2^32 of the uncompressed data), must describe what was decompressed.
/// A file of several concatenated gzip members has the last member's trailer, which does not describe the whole:
/// it is refused too, with the remedy in the message.
/// </summary>
internal sealed class GzipEndCheckStream(Stream decompressed, TailKeepingStream compressed) : Stream
{
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _checked;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = decompressed.Read(buffer);
        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _length += n;
        }
        else if (buffer.Length > 0 && !_checked)
        {
            _checked = true;
            CheckTrailer();
        }

        return n;
    }

    private void CheckTrailer()
    {
        var tail = compressed.Tail;
        var crc = _crc.GetCurrentHashAsUInt32();
        var size = (uint)_length;
        if (tail.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(tail) != crc || BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]) != size)
        {
            throw new InvalidDataException(
                $"the data ends before its gzip trailer after {_length} bytes: the file is truncated, or it is several gzip files concatenated (then decompress it first, e.g. gunzip -c FILE > trace.txt)");
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            decompressed.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A read-only forward stream that remembers the last 8 bytes read through it (the gzip trailer at the end).</summary>
internal sealed class TailKeepingStream(Stream inner) : Stream
{
    private readonly byte[] _tail = new byte[8];
    private int _tailLength;

    /// <summary>The last bytes read, up to 8, oldest first.</summary>
    public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Remember(buffer[..n]);
        return n;
    }

    private void Remember(ReadOnlySpan<byte> read)
    {
        if (read.Length >= _tail.Length)
        {
            read[^_tail.Length..].CopyTo(_tail);
            _tailLength = _tail.Length;
            return;
        }

        var keep = Math.Min(_tailLength, _tail.Length - read.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        read.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + read.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
