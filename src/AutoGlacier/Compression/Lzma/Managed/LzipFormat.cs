using System.Buffers.Binary;

namespace AutoGlacier.Compression.Lzma.Managed;

/// <summary>
/// The lzip member layout (lzip manual, "File format"; version 1): "LZIP", version 1, coded dictionary size, LZMA
/// data with lc=3 lp=0 pb=2 ending in an end-of-stream marker, then a 20-byte trailer: CRC32 of the data, data size
/// and member size (header + LZMA data + trailer), little-endian. A file is one or more members back to back.
/// </summary>
internal static class LzipFormat
{
    /// <summary>Bytes before the LZMA data.</summary>
    public const int HeaderSize = 6;

    /// <summary>Bytes after the LZMA data.</summary>
    public const int TrailerSize = 20;

    /// <summary>The smallest and largest dictionary a version 1 header can name.</summary>
    public const int MinDictionarySize = 4 * 1024, MaxDictionarySize = 512 * 1024 * 1024;

    /// <summary>"LZIP": what the restore side sniffs.</summary>
    public static ReadOnlySpan<byte> Magic => "LZIP"u8;

    private const byte Version = 1;

    /// <summary>The smallest power of two at least <paramref name="dataLength"/>, clamped to what a header can name and to <paramref name="cap"/>.</summary>
    public static int DictionaryFor(int dataLength, int cap)
    {
        var size = MinDictionarySize;
        while (size < dataLength && size < cap)
        {
            size <<= 1;
        }

        return size;
    }

    /// <summary>The header for a power-of-two <paramref name="dictionarySize"/>.</summary>
    public static byte[] Header(int dictionarySize)
    {
        if (dictionarySize < MinDictionarySize || dictionarySize > MaxDictionarySize || !int.IsPow2(dictionarySize))
        {
            throw new ArgumentOutOfRangeException(nameof(dictionarySize), dictionarySize, "a power of two from 4 KiB to 512 MiB");
        }

        // Coded size: bits 4-0 = log2(base size); bits 7-5 = sixteenths of it to subtract (0 for a power of two).
        return [(byte)'L', (byte)'Z', (byte)'I', (byte)'P', Version, (byte)int.Log2(dictionarySize)];
    }

    /// <summary>The dictionary size a header names.</summary>
    /// <exception cref="InvalidDataException">Not an lzip version 1 header.</exception>
    public static int ReadHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header.StartsWith(Magic))
        {
            throw new InvalidDataException("an lzip member does not start with \"LZIP\"");
        }

        if (header[4] != Version)
        {
            throw new InvalidDataException($"lzip version {header[4]} is not supported (only version 1)");
        }

        var log2 = header[5] & 0x1F;
        var size = 1L << log2;
        size -= (size / 16) * (header[5] >> 5);
        if (log2 < 12 || log2 > 29 || size < MinDictionarySize)
        {
            throw new InvalidDataException($"the lzip dictionary size byte 0x{header[5]:X2} is not valid");
        }

        return (int)size;
    }

    /// <summary>The trailer of a member holding <paramref name="dataSize"/> bytes with <paramref name="crc32"/>.</summary>
    public static byte[] Trailer(uint crc32, long dataSize, long lzmaDataSize)
    {
        var trailer = new byte[TrailerSize];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc32);
        BinaryPrimitives.WriteInt64LittleEndian(trailer.AsSpan(4), dataSize);
        BinaryPrimitives.WriteInt64LittleEndian(trailer.AsSpan(12), HeaderSize + lzmaDataSize + TrailerSize);
        return trailer;
    }

    /// <summary>Checks a member's trailer against what was decoded.</summary>
    /// <exception cref="InvalidDataException">CRC or a size differs.</exception>
    public static void CheckTrailer(ReadOnlySpan<byte> trailer, uint crc32, long dataSize, long lzmaDataSize)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) != crc32)
        {
            throw new InvalidDataException("an lzip member's CRC32 does not match its data");
        }

        if (BinaryPrimitives.ReadInt64LittleEndian(trailer[4..]) != dataSize
            || BinaryPrimitives.ReadInt64LittleEndian(trailer[12..]) != HeaderSize + lzmaDataSize + TrailerSize)
        {
            throw new InvalidDataException("an lzip member's trailer records other sizes than its data has");
        }
    }
}
