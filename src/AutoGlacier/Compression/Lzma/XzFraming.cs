using System.Buffers.Binary;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// The .xz container pieces we write ourselves around LZMA2 data (.xz file format 1.1.0; integers little-endian unless
/// noted): one stream holding one block whose header records both its Compressed Size and Uncompressed Size, which is
/// what lets a reader find the next stream without decoding (and liblzma's threaded decoder decode the block on its own).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Stream header (12): magic FD 37 7A 58 5A 00, flags 00 04 (CRC64 check), CRC32 of the flags.</item>
/// <item>Block header: size byte (header length / 4 - 1), block flags 0xC0 (compressed and uncompressed size present,
/// one filter), the two sizes (variable-length integers), filter flags 21 01 <c>dict</c> (LZMA2, 1 property byte),
/// zero padding to a multiple of 4 minus 4, CRC32 of everything before it.</item>
/// <item>LZMA2 data, block padding to a multiple of 4, CRC64 of the uncompressed data (8).</item>
/// <item>Index: 0x00, record count, per record the unpadded block size and uncompressed size (variable-length
/// integers), padding to a multiple of 4, CRC32 of the index.</item>
/// <item>Stream footer (12): CRC32 of the next 6 bytes, backward size (index size / 4 - 1), flags 00 04, magic 59 5A.</item>
/// </list>
/// </remarks>
internal static class XzFraming
{
    public const int StreamHeaderSize = 12;
    public const int StreamFooterSize = 12;
    public const int CheckSize = 8;

    /// <summary>Block header with two 9-byte sizes, rounded up: the most <see cref="WriteBlockHeader"/> writes.</summary>
    public const int MaxBlockHeaderSize = 28;

    /// <summary>Index with one record of two maximal integers, padding and CRC32.</summary>
    public const int MaxIndexSize = 1 + 1 + 10 + 10 + 3 + 4;

    /// <summary>Everything around the LZMA2 data of a one-block stream, block padding included.</summary>
    public const int MaxOverhead = StreamHeaderSize + MaxBlockHeaderSize + 3 + CheckSize + MaxIndexSize + StreamFooterSize;

    /// <summary>Block flags: one filter, Compressed Size present (0x40), Uncompressed Size present (0x80).</summary>
    public const byte BlockFlagsWithSizes = 0xC0;

    private static ReadOnlySpan<byte> HeaderMagic => [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];
    private static ReadOnlySpan<byte> FooterMagic => [0x59, 0x5A];
    private static ReadOnlySpan<byte> StreamFlags => [0x00, LzmaConstants.CheckCrc64];

    /// <summary>The LZMA2 dictionary property byte: the smallest encoded size that is at least <paramref name="dictionarySize"/>.</summary>
    public static byte Lzma2DictionaryProperty(uint dictionarySize)
    {
        for (byte property = 0; property < 40; property++)
        {
            var size = (ulong)(2 | (property & 1)) << ((property / 2) + 11);
            if (size >= dictionarySize)
            {
                return property;
            }
        }

        return 40;
    }

    /// <summary>Length of the block header <see cref="WriteBlockHeader"/> writes for these sizes.</summary>
    public static int BlockHeaderLength(ulong compressedSize, ulong uncompressedSize)
    {
        var unpadded = 2 + VarIntLength(compressedSize) + VarIntLength(uncompressedSize) + 3 + 4;
        return (unpadded + 3) & ~3;
    }

    /// <summary>
    /// Writes a whole stream around LZMA2 data that is already in place: <paramref name="output"/> holds the LZMA2 data
    /// of <paramref name="compressedSize"/> bytes at offset <paramref name="dataOffset"/>, which must be at least
    /// <see cref="StreamHeaderSize"/> + <see cref="MaxBlockHeaderSize"/>. The data is moved down behind the headers.
    /// Empty <paramref name="data"/> gives a stream with no block and an empty index (32 bytes), what <c>xz</c> writes.
    /// </summary>
    public static int WriteStream(
        LzmaLibrary lzma, ReadOnlySpan<byte> data, Span<byte> output, int dataOffset, int compressedSize, byte dictionaryProperty)
    {
        var position = WriteStreamHeader(lzma, output);
        ulong unpaddedSize = 0;
        if (!data.IsEmpty)
        {
            var blockStart = position;
            var headerLength = BlockHeaderLength((ulong)compressedSize, (ulong)data.Length);
            // Overlapping copy towards the start: Span.CopyTo handles overlap like memmove.
            output.Slice(dataOffset, compressedSize).CopyTo(output[(position + headerLength)..]);
            position += WriteBlockHeader(lzma, output[position..], (ulong)compressedSize, (ulong)data.Length, dictionaryProperty);
            position += compressedSize;
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

    private static int WriteStreamHeader(LzmaLibrary lzma, Span<byte> output)
    {
        HeaderMagic.CopyTo(output);
        StreamFlags.CopyTo(output[6..]);
        BinaryPrimitives.WriteUInt32LittleEndian(output[8..], lzma.ComputeCrc32(StreamFlags));
        return StreamHeaderSize;
    }

    private static int WriteBlockHeader(
        LzmaLibrary lzma, Span<byte> output, ulong compressedSize, ulong uncompressedSize, byte dictionaryProperty)
    {
        var length = BlockHeaderLength(compressedSize, uncompressedSize);
        var position = 0;
        output[position++] = (byte)((length / 4) - 1);
        output[position++] = BlockFlagsWithSizes;
        position += WriteVarInt(output[position..], compressedSize);
        position += WriteVarInt(output[position..], uncompressedSize);
        output[position++] = (byte)LzmaConstants.FilterLzma2;
        output[position++] = 0x01;
        output[position++] = dictionaryProperty;
        output[position..(length - 4)].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(output[(length - 4)..], lzma.ComputeCrc32(output[..(length - 4)]));
        return length;
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
        return StreamFooterSize;
    }

    /// <summary>Zero bytes that bring <paramref name="lengthSoFar"/> to a multiple of four.</summary>
    private static int WriteZeroPadding(Span<byte> output, int lengthSoFar)
    {
        var padding = (4 - (lengthSoFar % 4)) % 4;
        output[..padding].Clear();
        return padding;
    }

    private static int VarIntLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
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
