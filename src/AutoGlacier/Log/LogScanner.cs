using System.Buffers;
using System.Text.Json;

namespace AutoGlacier.Log;

/// <summary>
/// Validates a log file and finds where each run sits, reading it token by token through a small buffer: memory
/// stays flat however many files a run lists, and the byte ranges let other runs be copied verbatim on rewrite.
/// </summary>
internal static class LogScanner
{
    private const int InitialBuffer = 64 * 1024;

    /// <summary>Scans <paramref name="stream"/> (positioned at 0). <paramref name="displayPath"/> names it in errors.</summary>
    /// <exception cref="AutoGlacierException">The file is not valid JSON or its top level is not an object.</exception>
    public static LogIndex Scan(Stream stream, string displayPath)
    {
        if (stream.Length == 0)
        {
            // An empty file holds no run, so treating it as an empty log loses nothing (e.g. `touch log.json`).
            return LogIndex.Empty;
        }

        var tracker = new ScanTracker(displayPath);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            ScanChunks(stream, ref buffer, tracker);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return tracker.Index;
    }

    private static void ScanChunks(Stream stream, ref byte[] buffer, ScanTracker tracker)
    {
        var state = new JsonReaderState();
        int length = 0;
        long bufferOffset = 0;
        while (true)
        {
            int read = stream.Read(buffer, length, buffer.Length - length);
            length += read;
            bool final = read == 0;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), final, state);
            ReadTokens(ref reader, tracker, bufferOffset);
            if (final)
            {
                return;
            }

            // Keep the unconsumed tail (a token split across reads) and grow only if one token fills the buffer.
            int consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            bufferOffset += consumed;
            if (length == buffer.Length)
            {
                buffer = Grow(buffer, length);
            }
        }
    }

    private static void ReadTokens(ref Utf8JsonReader reader, ScanTracker tracker, long bufferOffset)
    {
        try
        {
            while (reader.Read())
            {
                tracker.OnToken(ref reader, bufferOffset);
            }
        }
        catch (JsonException ex)
        {
            throw tracker.Invalid(
                $"it is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1} of that line " +
                $"(near byte offset {bufferOffset + reader.BytesConsumed})", ex);
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        Buffer.BlockCopy(buffer, 0, bigger, 0, length);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
