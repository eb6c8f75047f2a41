using System.IO.Compression;

namespace EcsMm.Trace;

/// <summary>
/// Opens trace and dump inputs: a file path or a stream, gzip-compressed or plain. Compression is detected
/// by the gzip magic bytes (1f 8b), not by the file name, so a renamed file and a piped stream both work.
/// </summary>
public static class TraceInput
{
    private const int FileBufferSize = 1 << 16;

    /// <summary>True when <paramref name="header"/> starts with the gzip magic bytes.</summary>
    public static bool IsGzipMagic(ReadOnlySpan<byte> header) => header.Length >= 2 && header[0] == 0x1f && header[1] == 0x8b;

    /// <summary>Opens <paramref name="path"/> for sequential reading, decompressing it if it is gzip.</summary>
    public static Stream OpenFile(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.SequentialScan);
        return Open(file, leaveOpen: false, checkWholeFile: () => GzipMembers.Check(path));
    }

    /// <summary>
    /// Wraps <paramref name="stream"/> so that reading returns the plain text: peeks two bytes, and when they
    /// are the gzip magic, decompresses it, checking at the end that the data was whole
    /// (<see cref="GzipEndCheckStream"/>: a truncated stream is an <see cref="InvalidDataException"/>; so is a stream of
    /// several members, which only a file opened with <see cref="OpenFile"/> can be checked member by member for). The
    /// stream is read forward only.
    /// </summary>
    public static Stream Open(Stream stream, bool leaveOpen = false) => Open(stream, leaveOpen, checkWholeFile: null);

    private static Stream Open(Stream stream, bool leaveOpen, Func<string?>? checkWholeFile)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = new byte[2];
        int got = 0;
        while (got < header.Length)
        {
            int n = stream.Read(header, got, header.Length - got);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        var replay = new PrefixedStream(header, got, stream, leaveOpen);
        if (!IsGzipMagic(header.AsSpan(0, got)))
        {
            return replay;
        }

        var compressed = new TailKeepingStream(replay);
        return new GzipEndCheckStream(new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false), compressed, checkWholeFile);
    }
}
