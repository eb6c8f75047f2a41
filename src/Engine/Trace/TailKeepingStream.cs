namespace EcsMm.Trace;

/// <summary>
/// A read-only forward stream that remembers the last bytes read through it (the gzip trailer at the end, and any
/// zero padding after it): <see cref="Capacity"/> of them.
/// </summary>
internal sealed class TailKeepingStream(Stream inner) : ReadOnlyForwardStream
{
    /// <summary>How many of the last bytes are kept: the 8-byte trailer plus up to 4 KiB − 8 of zero padding.</summary>
    public const int Capacity = 4096;

    private readonly byte[] _tail = new byte[Capacity];
    private int _tailLength;

    /// <summary>The last bytes read, up to <see cref="Capacity"/>, oldest first.</summary>
    public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
