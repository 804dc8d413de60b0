namespace AutoGlacier.Streams;

/// <summary>Base for the pipeline's non-seekable, read-only streams (decompressors, decryptor, windows): everything but reading is unsupported.</summary>
internal abstract class ReadOnlyStream : Stream
{
    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException("This stream has no length.");

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException("This stream has no position.");
        set => throw new NotSupportedException("This stream cannot seek.");
    }

    /// <inheritdoc />
    public override void Flush()
    {
        // Nothing is buffered for writing.
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("This stream cannot seek.");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("This stream cannot seek.");

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("This stream is read-only.");

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
