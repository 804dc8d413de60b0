using System.Security.Cryptography;
using AutoGlacier.Hashing;
using static AutoGlacier.Tests.Hashing.TreeHashReference;

namespace AutoGlacier.Tests.Hashing;

public class ArchiveHashingStreamTests
{
    private static readonly byte[] Data = RandomBytes(3 * MiB + 5, seed: 42);

    private static (string Sha256, string TreeHash) Expected =>
        (Convert.ToHexStringLower(SHA256.HashData(Data)), Convert.ToHexStringLower(TreeHash.Compute(Data)));

    [Fact]
    public void Write_mode_passes_bytes_through_and_hashes_them()
    {
        using var inner = new SpyStream();
        using (var hashing = new ArchiveHashingStream(inner, leaveOpen: true))
        {
            hashing.WriteByte(Data[0]);
            hashing.Write(Data, 1, 6);
            hashing.Write(Data.AsSpan(7, MiB));
            hashing.Write(Data.AsSpan(7 + MiB));
            hashing.Flush();
            Assert.Equal(1, inner.Flushes);
            Assert.Equal(Data.Length, hashing.BytesHashed);
            Assert.Equal(Expected, hashing.GetHashes());
        }

        Assert.False(inner.Disposed);
        Assert.Equal(Data, inner.ToArray());
    }

    [Fact]
    public async Task Async_write_mode_passes_bytes_through_and_hashes_them()
    {
        var inner = new SpyStream();
        var hashing = new ArchiveHashingStream(inner, leaveOpen: false);
        await hashing.WriteAsync(Data.AsMemory(0, 1000));
#pragma warning disable CA1835 // The array overload is what is under test here.
        await hashing.WriteAsync(Data, 1000, Data.Length - 1000);
#pragma warning restore CA1835
        await hashing.FlushAsync();
        Assert.Equal(1, inner.Flushes);
        Assert.Equal(Data, inner.ToArray());
        await hashing.DisposeAsync();

        Assert.True(inner.Disposed);
        Assert.Equal(Expected, hashing.GetHashes());
        Assert.Equal(Data.Length, hashing.BytesHashed);
    }

    [Fact]
    public void Read_mode_hashes_what_is_read()
    {
        var inner = new SpyStream(Data);
        var hashing = new ArchiveHashingStream(inner, leaveOpen: false);
        var copy = new MemoryStream();
        copy.WriteByte((byte)hashing.ReadByte());
        var small = new byte[7];
        int read = hashing.Read(small, 0, small.Length);
        copy.Write(small, 0, read);
        hashing.CopyTo(copy);
        Assert.Equal(-1, hashing.ReadByte());

        Assert.Equal(Data, copy.ToArray());
        Assert.Equal(Expected, hashing.GetHashes());
        hashing.Dispose();
        Assert.True(inner.Disposed);
        Assert.Equal(Expected, hashing.GetHashes());
    }

    [Fact]
    public async Task Async_read_mode_hashes_what_is_read()
    {
        using var inner = new SpyStream(Data);
        await using var hashing = new ArchiveHashingStream(inner, leaveOpen: true);
        var copy = new MemoryStream();
        var buffer = new byte[5000];
#pragma warning disable CA1835 // The array overload is what is under test here.
        int read = await hashing.ReadAsync(buffer, 0, buffer.Length);
#pragma warning restore CA1835
        copy.Write(buffer, 0, read);
        await hashing.CopyToAsync(copy);

        Assert.Equal(Data, copy.ToArray());
        Assert.Equal(Data.Length, hashing.BytesHashed);
        Assert.Equal(Expected, hashing.GetHashes());
    }

    [Fact]
    public void Empty_stream_hashes_to_sha256_of_nothing_twice()
    {
        using var hashing = new ArchiveHashingStream(new MemoryStream(), leaveOpen: false);
        string empty = Convert.ToHexStringLower(SHA256.HashData([]));
        Assert.Equal((empty, empty), hashing.GetHashes());
    }

    [Fact]
    public void Mixing_directions_or_using_after_dispose_throws()
    {
        var hashing = new ArchiveHashingStream(new MemoryStream(), leaveOpen: false);
        hashing.Write([1, 2, 3]);
        Assert.False(hashing.CanRead);
        Assert.True(hashing.CanWrite);
        Assert.Throws<InvalidOperationException>(() => hashing.Read(new byte[1], 0, 1));
        hashing.Dispose();
        Assert.False(hashing.CanWrite);
        Assert.Throws<ObjectDisposedException>(() => hashing.Write([4]));
        Assert.Equal(3, hashing.BytesHashed);
    }
}
