namespace AutoGlacier.Vaults.S3;

/// <summary>
/// The write-only stream an S3 upload exposes: bytes fill a part buffer; a full buffer is sent as a multipart part
/// only when more bytes arrive, so an archive of at most one part is stored with a single PutObject.
/// </summary>
/// <remarks>The first buffer grows from 64 KiB, so small archives do not cost a whole part of memory.</remarks>
internal sealed class S3UploadStream(S3PartBuffers buffers, Func<S3MultipartUpload> startMultipart) : Stream
{
    private const int FirstBufferSize = 64 * 1024;

    private byte[] _buffer = new byte[Math.Min(FirstBufferSize, buffers.PartSize)];
    private int _filled;
    private bool _closed;

    /// <summary>The multipart upload, once the archive outgrew one part.</summary>
    public S3MultipartUpload? Multipart { get; private set; }

    /// <summary>The bytes not yet sent (the last, possibly only, part).</summary>
    public ReadOnlyMemory<byte> Pending => _buffer.AsMemory(0, _filled);

    /// <summary>Total bytes written.</summary>
    public long Length64 { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_closed;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (RoomLeft() == 0)
            {
                SendFullBufferAsync(CancellationToken.None).GetAwaiter().GetResult();
            }

            int taken = Append(buffer);
            buffer = buffer[taken..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (RoomLeft() == 0)
            {
                await SendFullBufferAsync(cancellationToken).ConfigureAwait(false);
            }

            int taken = Append(buffer.Span);
            buffer = buffer[taken..];
        }
    }

    /// <summary>Sends the pending bytes as the last part of the multipart upload (when there is one).</summary>
    public async Task SendLastPartAsync(CancellationToken cancellationToken)
    {
        _closed = true;
        if (Multipart is not null && _filled > 0)
        {
            await Multipart.SendPartAsync(_buffer, _filled, cancellationToken).ConfigureAwait(false);
            _filled = 0;
        }
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    /// <summary>Room in the current buffer, growing a small first buffer before calling it full.</summary>
    private int RoomLeft()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_filled == _buffer.Length && _buffer.Length < buffers.PartSize)
        {
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 4, buffers.PartSize));
        }

        return _buffer.Length - _filled;
    }

    private int Append(ReadOnlySpan<byte> data)
    {
        int taken = Math.Min(data.Length, _buffer.Length - _filled);
        data[..taken].CopyTo(_buffer.AsSpan(_filled));
        _filled += taken;
        Length64 += taken;
        return taken;
    }

    private async Task SendFullBufferAsync(CancellationToken cancellationToken)
    {
        Multipart ??= startMultipart();
        byte[] full = _buffer;
        await Multipart.SendPartAsync(full, _filled, cancellationToken).ConfigureAwait(false);
        _buffer = buffers.Rent();
        _filled = 0;
    }
}
