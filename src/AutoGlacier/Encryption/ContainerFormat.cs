using System.Buffers.Binary;

namespace AutoGlacier.Encryption;

/// <summary>Constants and small rules of container format version 1 (docs/FORMAT.md, "Encrypted container").</summary>
internal static class ContainerFormat
{
    /// <summary>
    /// "AGLACIER" then CR LF SUB LF: like PNG's signature, the tail shows at once whether a tool rewrote line endings
    /// or treated the file as text.
    /// </summary>
    public static ReadOnlySpan<byte> Magic => "AGLACIER\r\n\u001a\n"u8;

    public const int Version = 1;
    public const int MinChunkSize = 4 * 1024;
    public const int MaxChunkSize = 64 * 1024 * 1024;
    public const int MaxRecipients = 64;
    public const int FingerprintSize = 32;
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>RSA-2048 .. RSA-16384: an OAEP ciphertext is exactly the modulus length.</summary>
    public const int MinWrappedKeySize = 2048 / 8;
    public const int MaxWrappedKeySize = 16384 / 8;

    public const int MinRsaBits = 2048;
    public const int MaxRsaBits = 16384;

    /// <summary>Fixed part before the recipient list: magic, version (u16), chunk size (u32), recipient count (u16).</summary>
    public const int FixedHeaderSize = 12 + 2 + 4 + 2;

    public const byte LastChunkFlag = 0x01;

    /// <summary>STREAM nonce: 11-byte big-endian chunk counter, then 0x01 for the last chunk or 0x00.</summary>
    public static void WriteNonce(Span<byte> nonce, long chunkIndex, bool isLast)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce.Slice(3, 8), chunkIndex);
        nonce[11] = isLast ? LastChunkFlag : (byte)0;
    }

    /// <summary>Where chunk <paramref name="chunkIndex"/> starts in the container, for error messages.</summary>
    public static long ChunkOffset(int headerLength, int chunkSize, long chunkIndex) =>
        headerLength + (chunkIndex * ((long)chunkSize + TagSize));
}
