using SharpCompress.Crypto;
using SharpCompress.Compressors.LZMA;

namespace AutoGlacier.Compression.Lzma.Managed;

/// <summary>Encodes one block as one complete lzip member with SharpCompress's LZMA encoder (bt4, normal mode).</summary>
internal static class LzipMemberEncoder
{
    /// <summary>
    /// The member for <paramref name="length"/> bytes of <paramref name="block"/>. The dictionary is the smallest
    /// power of two that covers the block (at most <paramref name="dictionaryCap"/>): a larger one only costs memory.
    /// </summary>
    public static byte[] Encode(byte[] block, int length, int dictionaryCap, int niceLength)
    {
        var dictionary = LzipFormat.DictionaryFor(length, dictionaryCap);
        using var output = new MemoryStream(capacity: length / 2 + LzipFormat.HeaderSize + LzipFormat.TrailerSize + 64);
        output.Write(LzipFormat.Header(dictionary));
        var lzma = LzmaStream.Create(new LzmaEncoderProperties(eos: true, dictionary, niceLength), isLzma2: false, output);
        using (lzma)
        {
            lzma.Write(block, 0, length);
        }

        var lzmaDataSize = output.Length - LzipFormat.HeaderSize;
        output.Write(LzipFormat.Trailer(Crc32Stream.Compute(Crc32Stream.DEFAULT_POLYNOMIAL, Crc32Stream.DEFAULT_SEED, block.AsSpan(0, length)), length, lzmaDataSize));
        return output.ToArray();
    }
}
