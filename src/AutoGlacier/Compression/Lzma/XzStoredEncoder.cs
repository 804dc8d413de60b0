using System.Buffers.Binary;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Writes a complete .xz stream that stores its data without compression, for data that would not shrink
/// (jpg, zip, mp4…): no LZMA work at all, and <c>xz -d</c> reads it like any other .xz file.
/// </summary>
/// <remarks>
/// Layout (.xz file format 1.1.0; integers little-endian unless noted):
/// <list type="bullet">
/// <item>Stream header (12): magic FD 37 7A 58 5A 00, flags 00 04 (CRC64 check), CRC32 of the flags.</item>
/// <item>Block header (12): size byte 0x02 (= 12/4 - 1), block flags 0x00 (one filter, no optional sizes),
/// filter flags 21 01 00 (LZMA2, 1 property byte, dictionary 4 KiB: uncompressed chunks never reference it),
/// 3 zero bytes of padding, CRC32 of the preceding 8 bytes.</item>
/// <item>LZMA2 data: chunks of at most 64 KiB, each <c>control, (size-1) as 2 bytes big-endian, bytes</c>; control
/// 0x01 (uncompressed, dictionary reset) for the first chunk and 0x02 (uncompressed, no reset) after; then 0x00 (end).</item>
/// <item>Block padding to a multiple of 4, then the CRC64 of the uncompressed data (8).</item>
/// <item>Index: 0x00, record count, per record the unpadded block size and uncompressed size (variable-length
/// integers), padding to a multiple of 4, CRC32 of the index.</item>
/// <item>Stream footer (12): CRC32 of the next 6 bytes, backward size (index size / 4 - 1), flags 00 04, magic 59 5A.</item>
/// </list>
/// Empty input gives a stream with no block and an empty index (32 bytes), exactly what <c>xz</c> writes.
/// </remarks>
internal static class XzStoredEncoder
{
    private const int MaxChunk = 64 * 1024;
    private const int ChunkHeaderSize = 3;
    private const int StreamHeaderSize = 12;
    private const int BlockHeaderSize = 12;
    private const int CheckSize = 8;
    private const int MaxIndexSize = 1 + 1 + 10 + 10 + 3 + 4;
    private const byte ChunkUncompressedReset = 0x01;
    private const byte ChunkUncompressed = 0x02;

    private static ReadOnlySpan<byte> HeaderMagic => [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];
    private static ReadOnlySpan<byte> FooterMagic => [0x59, 0x5A];
    private static ReadOnlySpan<byte> StreamFlags => [0x00, LzmaConstants.CheckCrc64];

    /// <summary>Worst-case encoded size of <paramref name="length"/> bytes.</summary>
    public static int MaxEncodedLength(int length) =>
        StreamHeaderSize + BlockHeaderSize + LzmaDataLength(length) + 3 + CheckSize + MaxIndexSize + StreamHeaderSize;

    /// <summary>Writes the stream for <paramref name="data"/> to <paramref name="output"/>; returns bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<byte> output)
    {
        var lzma = LzmaLibrary.Instance;
        var position = WriteStreamHeader(lzma, output);
        ulong unpaddedSize = 0;
        if (!data.IsEmpty)
        {
            var blockStart = position;
            position += WriteBlockHeader(lzma, output[position..]);
            position += WriteUncompressedChunks(data, output[position..]);
            unpaddedSize = (ulong)(position - blockStart + CheckSize);
            position += WriteZeroPadding(output[position..], position - blockStart);
            BinaryPrimitives.WriteUInt64LittleEndian(output[position..], lzma.ComputeCrc64(data));
            position += CheckSize;
        }

        var indexSize = WriteIndex(lzma, output[position..], unpaddedSize, (ulong)data.Length);
        position += indexSize;
        position += WriteStreamFooter(lzma, output[position..], indexSize);
        return position;
    }

    private static int LzmaDataLength(int length) =>
        length + (((length + MaxChunk - 1) / MaxChunk) * ChunkHeaderSize) + 1;

    private static int WriteStreamHeader(LzmaLibrary lzma, Span<byte> output)
    {
        HeaderMagic.CopyTo(output);
        StreamFlags.CopyTo(output[6..]);
        BinaryPrimitives.WriteUInt32LittleEndian(output[8..], lzma.ComputeCrc32(StreamFlags));
        return StreamHeaderSize;
    }

    private static int WriteBlockHeader(LzmaLibrary lzma, Span<byte> output)
    {
        ReadOnlySpan<byte> header = [(BlockHeaderSize / 4) - 1, 0x00, (byte)LzmaConstants.FilterLzma2, 0x01, 0x00, 0, 0, 0];
        header.CopyTo(output);
        BinaryPrimitives.WriteUInt32LittleEndian(output[header.Length..], lzma.ComputeCrc32(header));
        return BlockHeaderSize;
    }

    private static int WriteUncompressedChunks(ReadOnlySpan<byte> data, Span<byte> output)
    {
        var position = 0;
        for (var offset = 0; offset < data.Length; offset += MaxChunk)
        {
            var chunk = data.Slice(offset, Math.Min(MaxChunk, data.Length - offset));
            output[position] = offset == 0 ? ChunkUncompressedReset : ChunkUncompressed;
            BinaryPrimitives.WriteUInt16BigEndian(output[(position + 1)..], (ushort)(chunk.Length - 1));
            chunk.CopyTo(output[(position + ChunkHeaderSize)..]);
            position += ChunkHeaderSize + chunk.Length;
        }

        output[position] = 0x00;
        return position + 1;
    }

    private static int WriteIndex(LzmaLibrary lzma, Span<byte> output, ulong unpaddedSize, ulong uncompressedSize)
    {
        var position = 0;
        output[position++] = 0x00;
        var recordCount = uncompressedSize == 0 ? 0UL : 1UL;
        position += WriteVarInt(output[position..], recordCount);
        if (recordCount == 1)
        {
            position += WriteVarInt(output[position..], unpaddedSize);
            position += WriteVarInt(output[position..], uncompressedSize);
        }

        position += WriteZeroPadding(output[position..], position);
        BinaryPrimitives.WriteUInt32LittleEndian(output[position..], lzma.ComputeCrc32(output[..position]));
        return position + 4;
    }

    private static int WriteStreamFooter(LzmaLibrary lzma, Span<byte> output, int indexSize)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output[4..], (uint)((indexSize / 4) - 1));
        StreamFlags.CopyTo(output[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(output, lzma.ComputeCrc32(output.Slice(4, 6)));
        FooterMagic.CopyTo(output[10..]);
        return StreamHeaderSize;
    }

    /// <summary>Zero bytes that bring <paramref name="lengthSoFar"/> to a multiple of four.</summary>
    private static int WriteZeroPadding(Span<byte> output, int lengthSoFar)
    {
        var padding = (4 - (lengthSoFar % 4)) % 4;
        output[..padding].Clear();
        return padding;
    }

    /// <summary>The .xz variable-length integer: 7 bits per byte, least significant first, high bit = more.</summary>
    private static int WriteVarInt(Span<byte> output, ulong value)
    {
        var position = 0;
        while (value >= 0x80)
        {
            output[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        output[position++] = (byte)value;
        return position;
    }
}
