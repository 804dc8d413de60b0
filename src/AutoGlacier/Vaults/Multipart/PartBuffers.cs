using System.Collections.Concurrent;

namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// Part-sized buffers for one upload, reused as parts finish. The caller bounds how many are out at once (parts in
/// flight + the one being filled), so memory stays at about (UPLOAD_CONCURRENCY + 1) × PART_SIZE_MB whatever the
/// archive's size.
/// </summary>
internal sealed class PartBuffers(long partSize)
{
    private readonly ConcurrentBag<byte[]> _free = [];

    public int PartSize { get; } = checked((int)Math.Min(partSize, Array.MaxLength));

    /// <summary>A free full-size buffer, allocating one only when none is free.</summary>
    public byte[] Rent() => _free.TryTake(out byte[]? buffer) ? buffer : GC.AllocateUninitializedArray<byte>(PartSize);

    /// <summary>Gives a buffer back once the backend has it (or gave up on it).</summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length == PartSize)
        {
            _free.Add(buffer);
        }
    }
}
