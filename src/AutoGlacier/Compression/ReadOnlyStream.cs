namespace AutoGlacier.Compression;

/// <summary>Base for the non-seekable, read-only decompressor streams: everything but reading is unsupported.</summary>
internal abstract class ReadOnlyStream : Stream
{
    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException("A decompressor stream has no length.");

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException("A decompressor stream has no position.");
        set => throw new NotSupportedException("A decompressor stream cannot seek.");
    }

    /// <inheritdoc />
    public override void Flush()
    {
        // Nothing is buffered for writing.
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A decompressor stream cannot seek.");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("A decompressor stream cannot seek.");

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("A decompressor stream is read-only.");

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public abstract override int Read(Span<byte> buffer);

    /// <inheritdoc />
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
}
