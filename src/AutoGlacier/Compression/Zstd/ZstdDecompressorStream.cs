using AutoGlacier.Streams;
using ZstdSharp;

namespace AutoGlacier.Compression.Zstd;

/// <summary>Wraps ZstdSharp's decoder so corrupt or truncated input surfaces as an <see cref="AutoGlacierException"/>.</summary>
internal sealed class ZstdDecompressorStream(DecompressionStream inner) : ReadOnlyStream
{
    private bool _disposed;

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception ex) when (ex is ZstdException or EndOfStreamException)
        {
            throw Corrupt(ex);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ZstdException or EndOfStreamException)
        {
            throw Corrupt(ex);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static AutoGlacierException Corrupt(Exception cause) => new(
        $"The zstd compressed data is corrupt: {cause.Message}. The archive is damaged or was not written by AutoGlacier.",
        cause);
}
