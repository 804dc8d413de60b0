using AutoGlacier.Compression;

namespace AutoGlacier.Tests.Compression;

/// <summary>Compress/decompress helpers that exercise both the sync and the async stream paths.</summary>
internal static class CodecRoundTrip
{
    /// <summary>Writes in uneven pieces so block boundaries fall in the middle of writes.</summary>
    public static byte[] Compress(ICompressionCodec codec, byte[] data, int writeSize = 100_003)
    {
        var output = new MemoryStream();
        using (var compressor = codec.CreateCompressor(output, leaveOpen: true))
        {
            for (var offset = 0; offset < data.Length; offset += writeSize)
            {
                compressor.Write(data, offset, Math.Min(writeSize, data.Length - offset));
            }
        }

        return output.ToArray();
    }

    public static async Task<byte[]> CompressAsync(ICompressionCodec codec, byte[] data, int writeSize = 65_536)
    {
        var output = new MemoryStream();
        await using (var compressor = codec.CreateCompressor(output, leaveOpen: true))
        {
            for (var offset = 0; offset < data.Length; offset += writeSize)
            {
                await compressor.WriteAsync(data.AsMemory(offset, Math.Min(writeSize, data.Length - offset)));
            }
        }

        return output.ToArray();
    }

    public static byte[] Decompress(ICompressionCodec codec, byte[] compressed)
    {
        using var decompressor = codec.CreateDecompressor(new MemoryStream(compressed), leaveOpen: false);
        var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }

    public static async Task<byte[]> DecompressAsync(ICompressionCodec codec, byte[] compressed)
    {
        await using var decompressor = codec.CreateDecompressor(new MemoryStream(compressed), leaveOpen: false);
        var output = new MemoryStream();
        await decompressor.CopyToAsync(output);
        return output.ToArray();
    }
}
