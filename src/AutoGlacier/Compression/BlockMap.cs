using AutoGlacier.Compression.Lzma;

namespace AutoGlacier.Compression;

/// <summary>
/// Where each independently decodable block of a compressed stream starts, in the compressed bytes and in the data
/// it decodes to. With it a catalog can say which block an entry's tar header is in, so a later ranged read of a
/// few files can fetch and decode only from that block (docs/FORMAT.md §3.1).
/// </summary>
internal sealed class BlockMap
{
    private readonly long[] _compressedStarts;
    private readonly long[] _uncompressedStarts;

    private BlockMap(long[] compressedStarts, long[] uncompressedStarts) =>
        (_compressedStarts, _uncompressedStarts) = (compressedStarts, uncompressedStarts);

    /// <summary>
    /// The blocks of one .xz stream, from its index records: the first block follows the 12-byte stream header, and
    /// each block takes its unpadded size rounded up to a multiple of 4 (block padding).
    /// </summary>
    public static BlockMap FromXzIndex(IReadOnlyList<XzIndexRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var (compressed, uncompressed) = (new long[records.Count], new long[records.Count]);
        long at = XzFraming.StreamHeaderSize, from = 0;
        for (var i = 0; i < records.Count; i++)
        {
            (compressed[i], uncompressed[i]) = (at, from);
            at += (long)((records[i].UnpaddedSize + 3) & ~3UL);
            from += (long)records[i].UncompressedSize;
        }
        return new BlockMap(compressed, uncompressed);
    }

    /// <summary>The block holding decoded byte <paramref name="uncompressedOffset"/>: its compressed offset and its first decoded byte's offset.</summary>
    public (long CompressedOffset, long UncompressedStart)? Find(long uncompressedOffset)
    {
        var index = Array.BinarySearch(_uncompressedStarts, uncompressedOffset);
        if (index < 0) { index = ~index - 1; }
        return index < 0 ? null : (_compressedStarts[index], _uncompressedStarts[index]);
    }
}

/// <summary>A compressor stream whose output is made of independently decodable blocks.</summary>
internal interface IBlockMapped
{
    /// <summary>The blocks written, once the stream is finished (null before).</summary>
    BlockMap? Blocks { get; }
}
