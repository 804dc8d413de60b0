using AutoGlacier.Log;

namespace AutoGlacier.Streams;

/// <summary>A read-only window onto part of another stream, so one run's file list can be parsed on its own.</summary>
internal sealed class BoundedReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private long _left;

    /// <summary>Exposes <paramref name="range"/> of <paramref name="inner"/> (which it seeks to).</summary>
    public BoundedReadStream(Stream inner, ByteRange range)
    {
        _inner = inner;
        _inner.Position = range.Start;
        _left = range.Length;
    }

    /// <inheritdoc />
    public override bool CanRead => true;
    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        int read = _inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= read;
        return read;
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await _inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
        _left -= read;
        return read;
    }
}
