using AutoGlacier.Streams;

namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// The write-only stream of an unspooled upload: bytes fill a part buffer; a full buffer is handed on only when more
/// bytes arrive, so an archive of at most one part is known to be one part and stored with a single request.
/// </summary>
/// <remarks>The first buffer grows from 64 KiB, so small archives do not cost a whole part of memory.</remarks>
internal sealed class PartBufferStream(long partSize, Func<byte[], int, CancellationToken, Task> sendFull, Func<byte[]> rent) : WriteOnlyStream
{
    private const int FirstBufferSize = 64 * 1024;

    private byte[] _buffer = new byte[Math.Min(FirstBufferSize, partSize)];
    private int _filled;
    private bool _closed;

    /// <summary>The bytes not yet handed on (the last, possibly only, part).</summary>
    public ReadOnlyMemory<byte> Pending => _buffer.AsMemory(0, _filled);

    /// <summary>Whether any full part was handed on (the archive is larger than one part).</summary>
    public bool SentAny { get; private set; }

    /// <summary>Total bytes written.</summary>
    public long Written { get; private set; }

    public override bool CanWrite => !_closed;

    public override void Flush() { }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (RoomLeft() == 0)
            {
                SendFullBufferAsync(CancellationToken.None).GetAwaiter().GetResult();
            }

            buffer = buffer[Append(buffer)..];
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (RoomLeft() == 0)
            {
                await SendFullBufferAsync(cancellationToken).ConfigureAwait(false);
            }

            buffer = buffer[Append(buffer.Span)..];
        }
    }

    /// <summary>No more bytes: returns the last buffer and its length (the caller sends or stores it).</summary>
    public (byte[] Buffer, int Length) Finish()
    {
        _closed = true;
        return (_buffer, _filled);
    }

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    /// <summary>Room in the current buffer, growing a small first buffer before calling it full.</summary>
    private int RoomLeft()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_filled == _buffer.Length && _buffer.Length < partSize)
        {
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 4, partSize));
        }

        return _buffer.Length - _filled;
    }

    private int Append(ReadOnlySpan<byte> data)
    {
        int taken = Math.Min(data.Length, _buffer.Length - _filled);
        data[..taken].CopyTo(_buffer.AsSpan(_filled));
        _filled += taken;
        Written += taken;
        return taken;
    }

    private async Task SendFullBufferAsync(CancellationToken cancellationToken)
    {
        // The next buffer is rented only once the full one is accepted (a slot is free): at most Concurrency + 1 buffers.
        SentAny = true;
        try
        {
            await sendFull(_buffer, _filled, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _closed = true; // The buffer went back to the pool with the failure; this stream is done.
            throw;
        }

        _buffer = rent();
        _filled = 0;
    }
}
