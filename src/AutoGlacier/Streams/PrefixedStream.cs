namespace AutoGlacier.Streams;

/// <summary>A read-only stream that yields a few already-read bytes and then the rest of another stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
{
    private int _prefixOffset;

    public override bool CanRead => true;

    public override int Read(Span<byte> buffer)
    {
        var fromPrefix = TakePrefix(buffer);
        return fromPrefix > 0 ? fromPrefix : rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var fromPrefix = TakePrefix(buffer.Span);
        return fromPrefix > 0 ? fromPrefix : await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private int TakePrefix(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, prefix.Length - _prefixOffset);
        if (count <= 0) { return 0; }
        prefix.AsSpan(_prefixOffset, count).CopyTo(buffer);
        _prefixOffset += count;
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { rest.Dispose(); }
        base.Dispose(disposing);
    }
}
