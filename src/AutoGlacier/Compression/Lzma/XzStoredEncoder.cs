using System.Buffers.Binary;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Writes one .xz block that stores its data without compression, for data that would not shrink
/// (jpg, zip, mp4…): no LZMA work at all, and <c>xz -d</c> reads it like any other .xz file.
/// </summary>
/// <remarks>
/// The block framing is <see cref="XzFraming"/>'s (header with both sizes, dictionary property 0 = 4 KiB: uncompressed
/// chunks never reference it). The LZMA2 data is chunks of at most 64 KiB, each <c>control, (size-1) as 2 bytes
/// big-endian, bytes</c>; control 0x01 (uncompressed, dictionary reset) for the first chunk and 0x02 (uncompressed,
/// no reset) after; then 0x00 (end). Empty input writes nothing.
/// </remarks>
internal static class XzStoredEncoder
{
    private const int MaxChunk = 64 * 1024;
    private const int ChunkHeaderSize = 3;
    private const int DataOffset = XzFraming.MaxBlockHeaderSize;
    private const byte ChunkUncompressedReset = 0x01;
    private const byte ChunkUncompressed = 0x02;

    /// <summary>Worst-case encoded size of <paramref name="length"/> bytes.</summary>
    public static int MaxEncodedLength(int length) => LzmaDataLength(length) + XzFraming.MaxBlockOverhead;

    /// <summary>
    /// Writes the block for <paramref name="data"/> to <paramref name="output"/> and its index record to
    /// <paramref name="records"/>; returns bytes written.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<byte> output, List<XzIndexRecord> records)
    {
        var compressedSize = data.IsEmpty ? 0 : WriteUncompressedChunks(data, output[DataOffset..]);
        return XzFraming.WriteBlock(LzmaLibrary.Instance, data, output, DataOffset, compressedSize, dictionaryProperty: 0, records);
    }

    private static int LzmaDataLength(int length) =>
        length + (((length + MaxChunk - 1) / MaxChunk) * ChunkHeaderSize) + 1;

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
}
