namespace EcsMm.Trace;

/// <summary>Finds <c>key=value</c> fields in the space-separated body of a trace event line.</summary>
internal static class TraceFields
{
    /// <summary>
    /// Finds the token that starts with <paramref name="key"/> (which includes the trailing <c>=</c>) and
    /// returns the rest of that token. Tokens are separated by spaces; a key only matches at a token start.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        int pos = 0;
        while (pos < body.Length)
        {
            while (pos < body.Length && body[pos] == (byte)' ')
            {
                pos++;
            }

            ReadOnlySpan<byte> rest = body[pos..];
            int space = rest.IndexOf((byte)' ');
            ReadOnlySpan<byte> token = space < 0 ? rest : rest[..space];
            if (token.StartsWith(key))
            {
                value = token[key.Length..];
                return true;
            }

            if (space < 0)
            {
                break;
            }

            pos += space + 1;
        }

        value = default;
        return false;
    }
}
