namespace AutoGlacier.Tests.Hashing;

/// <summary>A memory stream that records flushes and disposal, to check what a wrapper passes through.</summary>
internal sealed class SpyStream : MemoryStream
{
    public SpyStream() { }

    public SpyStream(byte[] data) : base(data) { }

    public int Flushes { get; private set; }

    public bool Disposed { get; private set; }

    public override void Flush()
    {
        Flushes++;
        base.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        // MemoryStream.FlushAsync calls Flush, which would count twice; there is nothing to flush anyway.
        Flushes++;
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
