using System.Buffers;

namespace AutoGlacier.Log;

/// <summary>
/// Collects output bytes and hands them to the destination stream in large blocks, so a file list of a million
/// one-line records costs a few hundred writes rather than millions.
/// </summary>
internal sealed class OutputBuffer(Stream destination)
{
    private const int FlushThreshold = 256 * 1024;
    private readonly ArrayBufferWriter<byte> _pending = new(FlushThreshold + 4096);

    /// <summary>The buffer to write into; call <see cref="FlushIfFullAsync"/> now and then.</summary>
    public IBufferWriter<byte> Writer => _pending;

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes) => _pending.Write(bytes);

    /// <summary>Appends bytes, inserting <paramref name="indent"/> after every newline so a fragment serialised at
    /// depth 0 lines up at the depth it is placed at (JSON strings never contain a raw newline, so this is safe).</summary>
    public void WriteIndented(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> indent)
    {
        int newline;
        while ((newline = bytes.IndexOf((byte)'\n')) >= 0)
        {
            _pending.Write(bytes[..(newline + 1)]);
            _pending.Write(indent);
            bytes = bytes[(newline + 1)..];
        }

        _pending.Write(bytes);
    }

    /// <summary>Writes the pending bytes once enough have accumulated.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        _pending.WrittenCount >= FlushThreshold ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Writes all pending bytes to the destination.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount > 0)
        {
            await destination.WriteAsync(_pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _pending.ResetWrittenCount();
        }
    }

    /// <summary>Copies <paramref name="range"/> of <paramref name="source"/> verbatim (used for other runs' JSON).</summary>
    public async ValueTask CopyRangeAsync(Stream source, ByteRange range, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        source.Position = range.Start;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long left = range.Length;
            while (left > 0)
            {
                int read = await source.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException("The log file shrank while it was being rewritten.");
                }

                await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
