namespace AutoGlacier.Streams;

/// <summary>Read-only view of another stream that disposes it only when not asked to leave it open.</summary>
internal sealed class PassThroughReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public PassThroughReadStream(Stream inner, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _inner.Read(buffer);
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _inner.ReadAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
