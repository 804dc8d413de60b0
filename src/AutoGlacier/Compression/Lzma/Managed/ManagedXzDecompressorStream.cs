using AutoGlacier.Streams;
using XZStream = SharpCompress.Compressors.Xz.XZStream;

namespace AutoGlacier.Compression.Lzma.Managed;

/// <summary>
/// Reads .xz (archives written with liblzma) with SharpCompress's managed decoder, for machines without liblzma.
/// Single-threaded; errors surface as <see cref="AutoGlacierException"/>. SharpCompress reads one .xz stream, so
/// concatenated streams (archives written before the one-stream layout) are read one after another here, skipping
/// the zero padding .xz allows between them.
/// </summary>
internal sealed class ManagedXzDecompressorStream : ReadOnlyStream
{
    private readonly CountedInput _input;
    private XZStream _inner;
    private bool _disposed;

    /// <summary>Creates a decoder reading from <paramref name="input"/>.</summary>
    public ManagedXzDecompressorStream(Stream input, bool leaveOpen)
    {
        _input = new CountedInput(input, ownsInner: !leaveOpen);
        _inner = new XZStream(_input);
    }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            while (true)
            {
                var n = _inner.Read(buffer);
                if (n > 0 || buffer.IsEmpty || !NextStream())
                {
                    return n;
                }
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ObjectDisposedException))
        {
            throw new AutoGlacierException(
                $"The lzma (.xz) compressed data is corrupt: {ex.Message}. The archive is damaged or was not written by AutoGlacier.", ex);
        }
    }

    /// <summary>Skips stream padding; starts the next concatenated stream, or returns false at the end.</summary>
    private bool NextStream()
    {
        while (_input.PeekByte() == 0)
        {
            _ = _input.ReadByte();
        }

        if (_input.PeekByte() < 0)
        {
            return false;
        }

        _inner.Dispose();
        _inner = new XZStream(_input);
        return true;
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _inner.Dispose();
            _input.Dispose(); // disposes input unless leaveOpen
        }

        base.Dispose(disposing);
    }
}
