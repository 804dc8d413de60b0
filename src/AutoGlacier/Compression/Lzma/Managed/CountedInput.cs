namespace AutoGlacier.Compression.Lzma.Managed;

/// <summary>
/// Buffered reading of compressed bytes for SharpCompress's decoders, counting what was consumed (also as
/// <see cref="Position"/>, which its .xz reader asks for). Its LZMA decoder reads an lzip member's data one byte at a
/// time (it must not read past the end-of-stream marker into the trailer), so <see cref="ReadByte"/> is served from
/// our buffer instead of reaching the stream below for every byte.
/// </summary>
internal sealed class CountedInput(Stream inner, bool ownsInner) : Streams.ReadOnlyStream
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _offset;
    private int _count;

    /// <summary>Bytes handed out so far.</summary>
    public long Consumed { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <summary>Same as <see cref="Consumed"/>; cannot be set.</summary>
    public override long Position
    {
        get => Consumed;
        set => throw new NotSupportedException("This stream cannot seek.");
    }

    /// <inheritdoc />
    public override int ReadByte()
    {
        if (_offset == _count && !Fill())
        {
            return -1;
        }

        Consumed++;
        return _buffer[_offset++];
    }

    /// <summary>The next byte without consuming it, or -1 at the end.</summary>
    public int PeekByte() => _offset == _count && !Fill() ? -1 : _buffer[_offset];

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_offset == _count && !Fill())
        {
            return 0;
        }

        var n = Math.Min(buffer.Length, _count - _offset);
        _buffer.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        Consumed += n;
        return n;
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool Fill()
    {
        _offset = 0;
        _count = inner.Read(_buffer, 0, _buffer.Length);
        return _count > 0;
    }
}
