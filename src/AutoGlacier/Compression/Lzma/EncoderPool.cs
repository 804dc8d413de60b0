using System.Collections.Concurrent;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Block encoders shared by the workers of one compressor stream. Each holds ~48 MiB of liblzma state, so they are
/// created lazily (never more than the number of blocks in flight) and all freed together.
/// </summary>
internal sealed class EncoderPool(Func<XzBlockEncoder> create) : IDisposable
{
    private readonly ConcurrentBag<XzBlockEncoder> _free = [];
    private readonly ConcurrentBag<XzBlockEncoder> _all = [];

    /// <summary>A free encoder, or a new one.</summary>
    public XzBlockEncoder Rent()
    {
        if (_free.TryTake(out var encoder))
        {
            return encoder;
        }

        encoder = create();
        _all.Add(encoder);
        return encoder;
    }

    /// <summary>Gives <paramref name="encoder"/> back for the next block.</summary>
    public void Return(XzBlockEncoder encoder) => _free.Add(encoder);

    /// <summary>Frees every encoder. Call only when no block is being encoded.</summary>
    public void Dispose()
    {
        foreach (var encoder in _all)
        {
            encoder.Dispose();
        }

        _all.Clear();
        _free.Clear();
    }
}
