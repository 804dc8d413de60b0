using AutoGlacier.Compression;
using AutoGlacier.Compression.Lzma;
using CsCheck;

namespace AutoGlacier.Tests.Compression;

public class CompressionPropertyTests
{
    // Tiny blocks so random sizes land on, before and after many block boundaries.
    private static readonly ICompressionCodec[] Codecs =
    [
        new LzmaCodec(preset: 0, threads: 2, blockSize: 4096),
        CompressionCodecs.Create("zstd", new CompressionSettings(Level: 1, Threads: 2)),
        CompressionCodecs.Create("none", new CompressionSettings()),
    ];

    private static readonly Gen<byte[]> Inputs = Gen.OneOf(
        Gen.Byte.Array[0, 20_000],
        Gen.Byte[0, 3].Array[0, 20_000],
        Gen.Int[0, 20_000].Select(n => TestData.Mixed(n, 3000)));

    [Fact]
    public void EveryCodecRoundTripsAnyInputWithAnyWriteSize() =>
        Gen.Select(Inputs, Gen.Int[1, 5000], Gen.Int[0, Codecs.Length - 1]).Sample((data, writeSize, codec) =>
        {
            var compressed = CodecRoundTrip.Compress(Codecs[codec], data, writeSize);
            Assert.Equal(data, CodecRoundTrip.Decompress(Codecs[codec], compressed));
        }, iter: 60, threads: 1);
}
