using System.Collections.Concurrent;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Fixed-size byte arrays reused by one compressor stream. The stream bounds how many are out at once, so the pool
/// never holds more than that; exact sizes avoid ArrayPool's power-of-two rounding (16 MiB for an 8 MiB block).
/// </summary>
internal sealed class BufferPool(int bufferSize)
{
    private readonly ConcurrentBag<byte[]> _free = [];

    /// <summary>Size of every buffer handed out.</summary>
    public int BufferSize { get; } = bufferSize;

    /// <summary>A free buffer, or a new one (not zeroed: every user writes before reading).</summary>
    public byte[] Rent() => _free.TryTake(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(BufferSize);

    /// <summary>Gives <paramref name="buffer"/> back for reuse.</summary>
    public void Return(byte[] buffer) => _free.Add(buffer);

    /// <summary>Drops all free buffers so the GC can reclaim them.</summary>
    public void Clear() => _free.Clear();
}
