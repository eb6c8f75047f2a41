namespace EcsMm.Trace;

/// <summary>
/// Splits a byte stream into lines without allocating per line: each line is a span over an internal
/// buffer, valid until the next call. Accepts LF and CRLF endings and a last line without a newline.
/// </summary>
internal sealed class ByteLineReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public ByteLineReader(Stream stream, int bufferSize = 1 << 16)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Returns the next line (without its line ending), or false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        int searchFrom = 0;
        while (true)
        {
            int available = _end - _start;
            int idx = _buffer.AsSpan(_start + searchFrom, available - searchFrom).IndexOf((byte)'\n');
            if (idx >= 0)
            {
                int length = searchFrom + idx;
                line = TrimCarriageReturn(_buffer.AsSpan(_start, length));
                _start += length + 1;
                return true;
            }

            searchFrom = available;
            if (_eof)
            {
                if (available > 0)
                {
                    line = TrimCarriageReturn(_buffer.AsSpan(_start, available));
                    _start = _end;
                    return true;
                }

                line = default;
                return false;
            }

            Fill();
        }
    }

    private void Fill()
    {
        int available = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, available);
            _start = 0;
            _end = available;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }
        else
        {
            _end += n;
        }
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    public void Dispose() => _stream.Dispose();
}
