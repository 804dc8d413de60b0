using AutoGlacier.Encryption;
using CsCheck;

namespace AutoGlacier.Tests.Encryption;

public class RoundTripTests
{
    private const int Chunk = Containers.SmallChunk;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData((3 * Chunk) + 5)]
    [InlineData(4 * Chunk)]
    public void Round_trips_and_frames_chunks_as_documented(int length)
    {
        var plaintext = Containers.RandomBytes(length);
        var container = Containers.Encrypt(plaintext);

        Assert.Equal(plaintext, Containers.Decrypt(container));
        // Every chunk but the last is full; the last holds 1..chunk bytes, or 0 only for empty input.
        var chunks = Math.Max(1, (length + Chunk - 1) / Chunk);
        Assert.Equal(Containers.OneRecipientHeaderLength + length + (chunks * 16), container.Length);
    }

    [Fact]
    public void Each_of_several_recipients_decrypts()
    {
        var plaintext = Containers.RandomBytes((2 * Chunk) + 17);
        var container = Containers.Encrypt(plaintext, [TestKeys.Alice.Recipient, TestKeys.Bob.Recipient]);

        using var alice = TestKeys.Alice.OpenPrivate();
        using var bob = TestKeys.Bob.OpenPrivate();
        Assert.Equal(plaintext, Containers.Decrypt(container, alice));
        Assert.Equal(plaintext, Containers.Decrypt(container, bob));
    }

    [Fact]
    public void Each_archive_gets_a_fresh_key()
    {
        var plaintext = Containers.RandomBytes(100);
        var first = Containers.Encrypt(plaintext);
        var second = Containers.Encrypt(plaintext);
        Assert.NotEqual(first[^116..], second[^116..]);
    }

    [Fact]
    public async Task Round_trips_through_the_async_api_with_the_default_chunk_size()
    {
        var plaintext = Containers.RandomBytes((3 * ArchiveEncryption.DefaultChunkSize) + 7);
        using var output = new MemoryStream();
        await using (var encryptor = ArchiveEncryption.CreateEncryptor(output, [TestKeys.Alice.Recipient], leaveOpen: true))
        {
            for (var at = 0; at < plaintext.Length; at += 300_000)
            {
                await encryptor.WriteAsync(plaintext.AsMemory(at, Math.Min(300_000, plaintext.Length - at)));
            }
        }

        using var key = TestKeys.Alice.OpenPrivate();
        await using var decryptor = ArchiveEncryption.CreateDecryptor(new MemoryStream(output.ToArray()), key);
        using var result = new MemoryStream();
        await decryptor.CopyToAsync(result);
        Assert.Equal(plaintext, result.ToArray());
    }

    [Fact]
    public void Flush_does_not_end_the_stream()
    {
        var plaintext = Containers.RandomBytes((2 * Chunk) + 3);
        using var output = new MemoryStream();
        using (var encryptor = ArchiveEncryption.CreateEncryptor(output, [TestKeys.Alice.Recipient], leaveOpen: true, Chunk))
        {
            encryptor.Write(plaintext, 0, 10);
            encryptor.Flush();
            encryptor.Write(plaintext, 10, plaintext.Length - 10);
            encryptor.Flush();
        }
        Assert.Equal(plaintext, Containers.Decrypt(output.ToArray()));
    }

    [Fact]
    public void Encryptor_holds_back_at_most_one_chunk()
    {
        using var output = new MemoryStream();
        using var encryptor = ArchiveEncryption.CreateEncryptor(output, [TestKeys.Alice.Recipient], leaveOpen: true, Chunk);

        encryptor.Write(new byte[Chunk]);
        Assert.Equal(0, output.Length); // a full chunk may still be the last one
        encryptor.Write(new byte[1]);
        Assert.Equal(Containers.OneRecipientHeaderLength + Chunk + 16, output.Length);
        encryptor.Write(new byte[Chunk]);
        Assert.Equal(Containers.OneRecipientHeaderLength + (2 * (Chunk + 16)), output.Length);
    }

    [Fact]
    public void Output_stream_is_closed_unless_left_open()
    {
        var output = new MemoryStream();
        ArchiveEncryption.CreateEncryptor(output, [TestKeys.Alice.Recipient]).Dispose();
        Assert.False(output.CanWrite);
    }

    [Fact]
    public void Random_sizes_chunk_sizes_and_write_pieces_round_trip()
    {
        using var key = TestKeys.Alice.OpenPrivate();
        Gen.Select(Gen.Int[0, 30_000], Gen.Int[Chunk, 3 * Chunk], Gen.Int[1, 9_000], Gen.Int)
            .Sample((length, chunkSize, writeSize, seed) =>
            {
                var plaintext = Containers.RandomBytes(length, seed);
                var container = Containers.Encrypt(plaintext, [TestKeys.Alice.Recipient], chunkSize, writeSize);
                Assert.Equal(plaintext, Containers.Decrypt(container, key));
            }, iter: 150, threads: 1);
    }

    [Theory]
    [InlineData(ArchiveEncryption.MinChunkSize - 1)]
    [InlineData(ArchiveEncryption.MaxChunkSize + 1)]
    public void Chunk_sizes_outside_the_documented_range_are_refused(int chunkSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ArchiveEncryption.CreateEncryptor(new MemoryStream(), [TestKeys.Alice.Recipient], chunkSize: chunkSize));
    }

    [Fact]
    public void No_recipients_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ArchiveEncryption.CreateEncryptor(new MemoryStream(), []));
    }
}
