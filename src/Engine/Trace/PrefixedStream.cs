namespace EcsMm.Trace;

/// <summary>
/// A read-only forward stream that first returns bytes already taken from <c>inner</c> (the peeked magic
/// bytes) and then the rest of <c>inner</c>; lets gzip detection work on non-seekable streams.
/// </summary>
internal sealed class PrefixedStream : ReadOnlyForwardStream
{
    private readonly byte[] _prefix;
    private readonly int _prefixLength;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private int _prefixPos;

    public PrefixedStream(byte[] prefix, int prefixLength, Stream inner, bool leaveOpen)
    {
        _prefix = prefix;
        _prefixLength = prefixLength;
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPos < _prefixLength)
        {
            int n = Math.Min(buffer.Length, _prefixLength - _prefixPos);
            _prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
            _prefixPos += n;
            return n;
        }

        return _inner.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
