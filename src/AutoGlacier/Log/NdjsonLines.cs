using System.Buffers;

namespace AutoGlacier.Log;

/// <summary>Splits a stream of newline-terminated records into lines without decoding them.</summary>
internal static class NdjsonLines
{
    /// <summary>
    /// Yields each non-empty line (without its newline). A yielded slice is only valid until the next one is
    /// requested: it points into a reused buffer, which is what keeps reading a million lines allocation-light.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Read(Stream stream)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int start = 0;
            int length = 0;
            while (true)
            {
                int newline = buffer.AsSpan(start, length - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    if (newline > 0)
                    {
                        yield return buffer.AsMemory(start, newline);
                    }

                    start += newline + 1;
                    continue;
                }

                (buffer, length) = Compact(buffer, start, length);
                start = 0;
                int read = stream.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    if (length > 0)
                    {
                        yield return buffer.AsMemory(0, length);
                    }

                    yield break;
                }

                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the partial last line to the front, growing the buffer if that line fills it.</summary>
    private static (byte[] Buffer, int Length) Compact(byte[] buffer, int start, int length)
    {
        int tail = length - start;
        byte[] target = tail == buffer.Length ? ArrayPool<byte>.Shared.Rent(buffer.Length * 2) : buffer;
        Buffer.BlockCopy(buffer, start, target, 0, tail);
        if (!ReferenceEquals(target, buffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (target, tail);
    }
}
