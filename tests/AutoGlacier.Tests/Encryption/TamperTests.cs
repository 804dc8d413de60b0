using AutoGlacier.Encryption;

namespace AutoGlacier.Tests.Encryption;

/// <summary>Every way of damaging a container must fail with an integrity error, never with wrong plaintext.</summary>
public class TamperTests
{
    private const int Chunk = Containers.SmallChunk;
    private const int Header = Containers.OneRecipientHeaderLength;
    private const int Sealed = Chunk + 16;

    // Four chunks: three full, the last 100 bytes.
    private static readonly byte[] Plaintext = Containers.RandomBytes((3 * Chunk) + 100);
    private static readonly byte[] Container = Containers.Encrypt(Plaintext);

    private static ArchiveIntegrityException AssertIntegrityFailure(byte[] damaged)
    {
        var error = Assert.Throws<ArchiveIntegrityException>(() => Containers.Decrypt(damaged));
        Assert.Contains("try another copy", error.Message);
        return error;
    }

    private static byte[] Flip(int offset)
    {
        var damaged = (byte[])Container.Clone();
        damaged[offset] ^= 0x01;
        return damaged;
    }

    [Fact]
    public void The_untouched_container_decrypts()
    {
        Assert.Equal(Plaintext, Containers.Decrypt(Container));
    }

    [Fact]
    public void Any_changed_header_byte_is_detected()
    {
        const int fingerprintStart = 20;
        for (var offset = 0; offset < Header; offset++)
        {
            var damaged = Flip(offset);
            var error = Assert.ThrowsAny<AutoGlacierException>(() => Containers.Decrypt(damaged));
            // A changed fingerprint no longer names our key, which is reported as a wrong key; all else is integrity.
            var expected = offset is >= fingerprintStart and < fingerprintStart + 32 ? typeof(WrongKeyException) : typeof(ArchiveIntegrityException);
            Assert.True(error.GetType() == expected, $"offset {offset}: {error.GetType().Name}: {error.Message}");
        }
    }

    [Fact]
    public void A_changed_ciphertext_byte_is_reported_with_its_chunk_and_offset()
    {
        var error = AssertIntegrityFailure(Flip(Header + Sealed + 10));
        Assert.Contains("Chunk 1 ", error.Message);
        Assert.Contains($"byte offset {Header + Sealed}", error.Message);
    }

    [Fact]
    public void A_changed_tag_byte_is_detected()
    {
        var error = AssertIntegrityFailure(Flip(Header + Sealed - 1));
        Assert.Contains("Chunk 0 ", error.Message);
    }

    [Fact]
    public void A_changed_byte_in_the_last_chunk_is_detected()
    {
        AssertIntegrityFailure(Flip(Container.Length - 20));
    }

    [Fact]
    public void No_plaintext_of_a_damaged_chunk_is_released()
    {
        using var key = TestKeys.Alice.OpenPrivate();
        using var decryptor = ArchiveEncryption.CreateDecryptor(new MemoryStream(Flip(Header + 5)), key);
        var buffer = new byte[100];
        Assert.Throws<ArchiveIntegrityException>(() => decryptor.Read(buffer));
        Assert.All(buffer, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Cutting_at_a_chunk_boundary_is_detected(int chunksKept)
    {
        var error = AssertIntegrityFailure(Container[..(Header + (chunksKept * Sealed))]);
        Assert.Contains("not the final one", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(Sealed / 2)]
    [InlineData(Sealed - 1)]
    public void Cutting_inside_a_chunk_is_detected(int bytesIntoChunk)
    {
        AssertIntegrityFailure(Container[..(Header + Sealed + bytesIntoChunk)]);
    }

    [Fact]
    public void Cutting_inside_the_last_chunk_is_detected()
    {
        AssertIntegrityFailure(Container[..^1]);
    }

    [Fact]
    public void A_header_without_chunks_is_detected()
    {
        AssertIntegrityFailure(Container[..Header]);
    }

    [Fact]
    public void Swapped_chunks_are_detected()
    {
        var damaged = (byte[])Container.Clone();
        Container.AsSpan(Header, Sealed).CopyTo(damaged.AsSpan(Header + Sealed));
        Container.AsSpan(Header + Sealed, Sealed).CopyTo(damaged.AsSpan(Header));
        var error = AssertIntegrityFailure(damaged);
        Assert.Contains("Chunk 0 ", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(Sealed)]
    public void Appended_data_is_detected(int garbageLength)
    {
        AssertIntegrityFailure([.. Container, .. Containers.RandomBytes(garbageLength, 7)]);
    }

    [Fact]
    public void Appended_data_after_a_full_last_chunk_is_named_as_such()
    {
        var exact = Containers.Encrypt(Containers.RandomBytes(2 * Chunk));
        var error = AssertIntegrityFailure([.. exact, .. Containers.RandomBytes(Sealed, 3)]);
        Assert.Contains("more data follows", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_container_is_named_as_such()
    {
        var error = Assert.Throws<ArchiveIntegrityException>(() => Containers.Decrypt(Containers.RandomBytes(1000)));
        Assert.Contains("not an AutoGlacier encrypted archive", error.Message);
    }

    [Fact]
    public void A_key_wrapped_for_a_different_archive_does_not_open_this_one()
    {
        // Splice another archive's header (same recipient, other AES key) onto these chunks.
        var other = Containers.Encrypt(Containers.RandomBytes(10));
        byte[] spliced = [.. other[..Header], .. Container[Header..]];
        AssertIntegrityFailure(spliced);
    }
}
