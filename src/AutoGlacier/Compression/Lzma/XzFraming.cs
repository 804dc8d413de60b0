using System.Buffers.Binary;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// The .xz container we write ourselves around LZMA2 data (.xz file format 1.1.0; integers little-endian unless
/// noted): one stream for the whole output, holding one block per run, each block header recording both its
/// Compressed Size and Uncompressed Size. That is what <c>xz -T</c> writes too, and what lets liblzma's threaded
/// decoder (and <c>xz -d -T</c>) decode several blocks at once: it waits for all output at each stream's index, so
/// concatenated one-block streams would decode one block at a time.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Stream header (12): magic FD 37 7A 58 5A 00, flags 00 04 (CRC64 check), CRC32 of the flags.</item>
/// <item>Per block: block header = size byte (header length / 4 - 1), block flags 0xC0 (compressed and uncompressed
/// size present, one filter), the two sizes (variable-length integers), filter flags 21 01 <c>dict</c> (LZMA2, 1
/// property byte), zero padding to a multiple of 4 minus 4, CRC32 of everything before it; then the LZMA2 data,
/// block padding to a multiple of 4, CRC64 of the uncompressed data (8).</item>
/// <item>Index: 0x00, record count, per block the unpadded size and uncompressed size (variable-length integers),
/// padding to a multiple of 4, CRC32 of the index.</item>
/// <item>Stream footer (12): CRC32 of the next 6 bytes, backward size (index size / 4 - 1), flags 00 04, magic 59 5A.</item>
/// </list>
/// No block at all (empty input) gives the 32-byte stream <c>xz</c> writes for empty input.
/// </remarks>
internal static class XzFraming
{
    public const int StreamHeaderSize = 12;
    public const int StreamFooterSize = 12;
    public const int CheckSize = 8;

    /// <summary>Block header with two 9-byte sizes, rounded up: the most <see cref="WriteBlock"/> writes before the data.</summary>
    public const int MaxBlockHeaderSize = 28;

    /// <summary>Everything a block adds around its LZMA2 data: header, padding and check.</summary>
    public const int MaxBlockOverhead = MaxBlockHeaderSize + 3 + CheckSize;

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

    /// <summary>The 12-byte stream header.</summary>
    public static byte[] StreamHeader()
    {
        var header = new byte[StreamHeaderSize];
        HeaderMagic.CopyTo(header);
        StreamFlags.CopyTo(header.AsSpan(6));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), LzmaLibrary.Instance.ComputeCrc32(StreamFlags));
        return header;
    }

    /// <summary>
    /// Writes one block around LZMA2 data that is already in place: <paramref name="output"/> holds the LZMA2 data of
    /// <paramref name="compressedSize"/> bytes at offset <paramref name="dataOffset"/> (at least
    /// <see cref="MaxBlockHeaderSize"/>); it is moved down behind the header. Returns the bytes written and adds the
    /// block's index record to <paramref name="records"/>. Empty <paramref name="data"/> writes nothing.
    /// </summary>
    public static int WriteBlock(LzmaLibrary lzma, ReadOnlySpan<byte> data, Span<byte> output, int dataOffset,
        int compressedSize, byte dictionaryProperty, List<XzIndexRecord> records)
    {
        if (data.IsEmpty)
        {
            return 0;
        }

        var headerLength = BlockHeaderLength((ulong)compressedSize, (ulong)data.Length);
        // Overlapping copy towards the start: Span.CopyTo handles overlap like memmove.
        output.Slice(dataOffset, compressedSize).CopyTo(output[headerLength..]);
        var position = WriteBlockHeader(lzma, output, (ulong)compressedSize, (ulong)data.Length, dictionaryProperty);
        position += compressedSize;
        records.Add(new XzIndexRecord((ulong)(position + CheckSize), (ulong)data.Length));
        position += WriteZeroPadding(output[position..], position);
        BinaryPrimitives.WriteUInt64LittleEndian(output[position..], lzma.ComputeCrc64(data));
        return position + CheckSize;
    }

    /// <summary>The index of the blocks in <paramref name="records"/> followed by the stream footer.</summary>
    public static byte[] IndexAndFooter(IReadOnlyCollection<XzIndexRecord> records)
    {
        var lzma = LzmaLibrary.Instance;
        var output = new byte[1 + 10 + (records.Count * 20) + 3 + 4 + StreamFooterSize];
        var position = 0;
        output[position++] = 0x00;
        position += WriteVarInt(output.AsSpan(position), (ulong)records.Count);
        foreach (var record in records)
        {
            position += WriteVarInt(output.AsSpan(position), record.UnpaddedSize);
            position += WriteVarInt(output.AsSpan(position), record.UncompressedSize);
        }

        position += WriteZeroPadding(output.AsSpan(position), position);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(position), lzma.ComputeCrc32(output.AsSpan(0, position)));
        var indexSize = position + 4;
        var footer = output.AsSpan(indexSize, StreamFooterSize);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[4..], (uint)((indexSize / 4) - 1));
        StreamFlags.CopyTo(footer[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(footer, lzma.ComputeCrc32(footer.Slice(4, 6)));
        FooterMagic.CopyTo(footer[10..]);
        return output[..(indexSize + StreamFooterSize)];
    }

    /// <summary>A complete stream holding <paramref name="blocks"/> (whose records are <paramref name="records"/>).</summary>
    public static byte[] WrapInStream(ReadOnlySpan<byte> blocks, IReadOnlyCollection<XzIndexRecord> records) =>
        [.. StreamHeader(), .. blocks, .. IndexAndFooter(records)];

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

/// <summary>One index record: a block's unpadded size (header + data + check) and uncompressed size.</summary>
internal readonly record struct XzIndexRecord(ulong UnpaddedSize, ulong UncompressedSize);
