using System.Buffers.Binary;
using System.IO.Hashing;

namespace EcsMm.Trace;

/// <summary>
/// The decompressed side of a gzip input, refusing to end early. .NET's GZipStream reports the end of the data when
/// its input ends in the middle of a member, so a truncated file would otherwise replay a prefix of the trace with
/// no error whenever the cut falls on a line boundary. At the end, the file's last 8 bytes, the gzip trailer (RFC 1952
/// §2.3.1: CRC-32, then the length mod 2^32 of the uncompressed data), must describe what was decompressed; zero
/// padding after it is allowed.
/// A file of several concatenated gzip members has the last member's trailer, which does not describe the whole: when
/// the input is a file, <paramref name="checkWholeFile"/> then checks it member by member (<see cref="GzipMembers"/>);
/// a stream that is not a file is refused, with the remedy in the message.
/// </summary>
internal sealed class GzipEndCheckStream(Stream decompressed, TailKeepingStream compressed, Func<string?>? checkWholeFile = null) : ReadOnlyForwardStream
{
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _checked;

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

    /// <summary>
    /// The trailer is the last 8 bytes, or the 8 bytes before a run of zero bytes at the end (padding, which gzip(1)
    /// ignores too; up to <see cref="TailKeepingStream.Capacity"/> − 8 of it).
    /// </summary>
    private void CheckTrailer()
    {
        var tail = compressed.Tail;
        var crc = _crc.GetCurrentHashAsUInt32();
        var size = (uint)_length;
        for (var end = tail.Length; end >= 8; end--)
        {
            var trailer = tail[(end - 8)..end];
            if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) == crc && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == size)
            {
                return;
            }

            if (tail[end - 1] != 0)
            {
                break; // only zeros may follow the trailer
            }
        }

        if (checkWholeFile is not null)
        {
            if (checkWholeFile() is { } why)
            {
                throw new InvalidDataException(why);
            }

            return;
        }

        throw new InvalidDataException(
            $"the data ends before its gzip trailer after {_length} bytes: the stream is truncated, or it is several gzip members concatenated (then decompress it first, e.g. gunzip -c FILE > trace.txt)");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            decompressed.Dispose();
        }

        base.Dispose(disposing);
    }
}
