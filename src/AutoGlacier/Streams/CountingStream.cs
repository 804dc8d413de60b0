namespace AutoGlacier.Streams;

/// <summary>A write-only pass-through that counts bytes (the uncompressed tar size for the log).</summary>
internal sealed class CountingStream(Stream inner) : WriteOnlyStream
{
    /// <summary>Bytes written through.</summary>
    public long BytesWritten { get; private set; }

    public override bool CanWrite => true;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        BytesWritten += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        BytesWritten += buffer.Length;
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
