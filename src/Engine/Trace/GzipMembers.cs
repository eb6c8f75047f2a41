using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace EcsMm.Trace;

/// <summary>
/// Checks a gzip file member by member (RFC 1952: a file may hold several members one after the other, and gzip(1)
/// ignores zero padding after the last). Used when the streamed check (<see cref="GzipEndCheckStream"/>) finds that
/// the file's last trailer does not describe all of the data: that is a truncated file, or a valid file of several
/// members. A member ends where the next member's header starts (or at the end of the data) and its own trailer then
/// matches what it decompresses to; a position where the magic bytes happen to occur inside compressed data fails
/// that check and the search goes on.
/// </summary>
internal static class GzipMembers
{
    /// <summary>Null when every member of <paramref name="path"/> is complete; otherwise what is wrong, for the user.</summary>
    public static string? Check(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        var length = file.Length;
        var (starts, dataEnd) = Scan(file);
        long start = 0;
        var members = 0;
        while (start < dataEnd)
        {
            if (!starts.Contains(start))
            {
                return $"{dataEnd - start} bytes after the last complete gzip member (at offset {start}) are not a gzip member";
            }

            var end = -1L;
            foreach (var candidate in Candidates(starts, start, dataEnd, length))
            {
                if (IsCompleteMember(file, start, candidate))
                {
                    end = candidate;
                    break;
                }
            }

            if (end < 0)
            {
                return members == 0
                    ? "the data ends before its gzip trailer: the file is truncated (or has bytes after its gzip data)"
                    : $"gzip member {members + 1} (at offset {start}) ends before its trailer: the file is truncated (or has bytes after its gzip data)";
            }

            members++;
            start = end;
        }

        return null;
    }

    /// <summary>Offsets where a member header could start (1f 8b 08), and the end of the data before any zero padding.</summary>
    private static (HashSet<long> Starts, long DataEnd) Scan(FileStream file)
    {
        var starts = new HashSet<long>();
        var buffer = new byte[1 << 16];
        long offset = 0, dataEnd = 0;
        byte p1 = 0, p2 = 0;
        file.Position = 0;
        int n;
        while ((n = file.Read(buffer)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var b = buffer[i];
                if (p2 == 0x1f && p1 == 0x8b && b == 0x08)
                {
                    starts.Add(offset + i - 2);
                }

                if (b != 0)
                {
                    dataEnd = offset + i + 1;
                }

                p2 = p1;
                p1 = b;
            }

            offset += n;
        }

        return (starts, dataEnd);
    }

    /// <summary>Where the member at <paramref name="start"/> may end: the next possible member starts, then the end of the data (its trailer may end in zero bytes the padding scan counted as padding).</summary>
    private static IEnumerable<long> Candidates(HashSet<long> starts, long start, long dataEnd, long length)
    {
        foreach (var s in starts.Where(s => s > start + 18).Order())
        {
            yield return s;
        }

        for (var end = dataEnd; end <= Math.Min(length, dataEnd + 8); end++)
        {
            yield return end;
        }
    }

    /// <summary>Whether [start, end) decompresses as one gzip member whose trailer (its last 8 bytes) describes the data.</summary>
    private static bool IsCompleteMember(FileStream file, long start, long end)
    {
        if (end - start < 18)
        {
            return false;
        }

        var crc = new Crc32();
        long size = 0;
        try
        {
            file.Position = start;
            using var segment = new SegmentStream(file, end - start);
            using var gz = new GZipStream(segment, CompressionMode.Decompress, leaveOpen: true);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = gz.Read(buffer)) > 0)
            {
                crc.Append(buffer.AsSpan(0, n));
                size += n;
            }
        }
        catch (InvalidDataException)
        {
            return false;
        }

        Span<byte> trailer = stackalloc byte[8];
        file.Position = end - 8;
        file.ReadExactly(trailer);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer) == crc.GetCurrentHashAsUInt32()
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == (uint)size;
    }

    /// <summary>The next <c>length</c> bytes of a stream, from its current position.</summary>
    private sealed class SegmentStream(Stream inner, long length) : ReadOnlyForwardStream
    {
        private long _left = length;

        public override int Read(Span<byte> buffer)
        {
            if (_left <= 0)
            {
                return 0;
            }

            var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= n;
            return n;
        }
    }
}
