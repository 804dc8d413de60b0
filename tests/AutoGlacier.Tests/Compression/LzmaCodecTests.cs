using AutoGlacier.Compression;
using AutoGlacier.Compression.Lzma;

namespace AutoGlacier.Tests.Compression;

public class LzmaCodecTests
{
    // Small blocks keep the tests fast while still crossing many block boundaries.
    private const int BlockSize = 256 * 1024;

    private static readonly LzmaCodec Codec = new(preset: 1, threads: 2, blockSize: BlockSize);

    /// <summary>Settings liblzma refuses (nice length 1; LZMA2's shortest match is 2).</summary>
    private static LzmaEncoderSettings Rejected => LzmaEncoderSettings.FromPreset(6) with { NiceLength = 1 };

    public static TheoryData<int> Sizes => [0, 1, BlockSize - 1, BlockSize, BlockSize + 1, (3 * BlockSize) + 17];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RoundTripsTextAndXzDecodesIt(int size)
    {
        var data = TestData.Text(size);
        var compressed = CodecRoundTrip.Compress(Codec, data);

        Assert.Equal(data, CodecRoundTrip.Decompress(Codec, compressed));
        Assert.Equal(data, ExternalTool.Decode("xz", compressed));
        Assert.Equal(0, ExternalTool.Run("xz", "-t", compressed).ExitCode);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task RoundTripsMixedDataAsync(int size)
    {
        var data = TestData.Mixed(size, pieceSize: 100_000);
        var compressed = await CodecRoundTrip.CompressAsync(Codec, data);

        Assert.Equal(data, await CodecRoundTrip.DecompressAsync(Codec, compressed));
        Assert.Equal(data, ExternalTool.Decode("xz", compressed));
    }

    [Fact]
    public void EmptyInputIsTheSameEmptyStreamXzWrites()
    {
        var compressed = CodecRoundTrip.Compress(Codec, []);

        Assert.Equal(ExternalTool.Run("xz", "-c", []).Stdout, compressed);
        Assert.Empty(ExternalTool.Decode("xz", compressed));
    }

    [Fact]
    public void DefaultPresetOutputDecodesWithXz()
    {
        var codec = CompressionCodecs.Create("lzma", new CompressionSettings());
        var data = TestData.Mixed(3 * 1024 * 1024, pieceSize: 300_000);

        Assert.Equal(data, ExternalTool.Decode("xz", CodecRoundTrip.Compress(codec, data)));
    }

    [Fact]
    public void CompressesText()
    {
        var data = TestData.Text(1_000_000);

        Assert.True(CodecRoundTrip.Compress(Codec, data).Length < data.Length / 3);
    }

    [Fact]
    public void RandomDataCostsOnlyFramingOverhead()
    {
        var data = TestData.Random(3 * BlockSize);
        var compressed = CodecRoundTrip.Compress(Codec, data);

        // 3 bytes per 64 KiB chunk plus ~70 bytes of stream framing per block.
        var bound = data.Length + (3 * (data.Length / 65536 + 3)) + (3 * 100);
        Assert.True(compressed.Length <= bound, $"{compressed.Length} > {bound}");
        Assert.Equal(data, ExternalTool.Decode("xz", compressed));

        // The stored path's filter (LZMA2, 4 KiB dictionary) proves no LZMA work was spent on random data.
        Assert.All(XzBlockList.Read(compressed), block => Assert.Contains("dict=4KiB", block.Filters));
    }

    [Fact]
    public void DefaultSettingsStayWithinFivePercentOfXz6()
    {
        var codec = CompressionCodecs.Create("lzma", new CompressionSettings());
        var data = TestData.Mixed(4 * 1024 * 1024, pieceSize: 384 * 1024);

        var ours = CodecRoundTrip.Compress(codec, data).Length;
        var xz = ExternalTool.Run("xz", "-6 -c", data).Stdout.Length;

        Assert.True(ours <= xz * 1.05, $"ours {ours} bytes, xz -6 {xz} bytes");
    }

    [Fact]
    public void FlushDoesNotEndTheStream()
    {
        var first = TestData.Text(BlockSize + 5);
        var second = TestData.Random(1000);
        var output = new MemoryStream();
        using (var compressor = Codec.CreateCompressor(output, leaveOpen: true))
        {
            compressor.Write(first);
            compressor.Flush();
            compressor.Write(second);
            compressor.Flush();
        }

        Assert.Equal([.. first, .. second], ExternalTool.Decode("xz", output.ToArray()));
    }

    [Fact]
    public void LeaveOpenDecidesWhetherTheOutputIsDisposed()
    {
        var kept = new MemoryStream();
        Codec.CreateCompressor(kept, leaveOpen: true).Dispose();
        Assert.True(kept.CanWrite);

        var closed = new MemoryStream();
        Codec.CreateCompressor(closed, leaveOpen: false).Dispose();
        Assert.False(closed.CanWrite);
    }

    [Fact]
    public void WorkerFailureSurfacesOnDispose()
    {
        // liblzma rejects a nice length below 2 inside the worker, which is where real encoder failures happen.
        var compressor = new ParallelXzCompressorStream(new MemoryStream(), leaveOpen: false, Rejected, threads: 1, blockSize: 1024);
        compressor.Write(new byte[100]);

        Assert.Throws<AutoGlacierException>(compressor.Dispose);
    }

    [Fact]
    public void WorkerFailureSurfacesOnALaterWrite()
    {
        var compressor = new ParallelXzCompressorStream(new MemoryStream(), leaveOpen: false, Rejected, threads: 2, blockSize: 1024);

        var error = Record.Exception(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                compressor.Write(new byte[1024]);
                Thread.Sleep(5);
            }
        });

        Assert.IsType<AutoGlacierException>(error);
        compressor.Dispose();
    }

    [Fact]
    public void CorruptDataIsReported()
    {
        var compressed = CodecRoundTrip.Compress(Codec, TestData.Text(500_000));
        compressed[compressed.Length / 2] ^= 0x55;

        var error = Assert.Throws<AutoGlacierException>(() => CodecRoundTrip.Decompress(Codec, compressed));
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedDataIsReported()
    {
        var compressed = CodecRoundTrip.Compress(Codec, TestData.Text(500_000));

        Assert.Throws<AutoGlacierException>(() => CodecRoundTrip.Decompress(Codec, compressed[..^20]));
    }

    [Fact]
    public void NonXzDataIsReported()
    {
        Assert.Throws<AutoGlacierException>(() => CodecRoundTrip.Decompress(Codec, TestData.Text(1000)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryBlockHeaderRecordsBothSizes(bool mixed)
    {
        var data = mixed ? TestData.Mixed((3 * BlockSize) + 17, pieceSize: 64 * 1024) : TestData.Text((3 * BlockSize) + 17);
        var compressed = CodecRoundTrip.Compress(Codec, data);

        var blocks = XzBlockList.Read(compressed);
        Assert.True(blocks.Count >= 4, $"{blocks.Count} blocks");
        // One stream for the whole output: liblzma's threaded decoder drains at every stream's index.
        Assert.All(blocks, block => Assert.Equal(1, block.Stream));
        Assert.All(blocks, block => Assert.Equal("cu", block.HeaderFlags));
        Assert.Equal(data.Length, blocks.Sum(block => block.UncompressedSize));
        Assert.Equal(0, ExternalTool.Run("xz", "-t", compressed).ExitCode);
        Assert.Equal(data, ExternalTool.Decode("xz", compressed));
        Assert.Equal(data, CodecRoundTrip.Decompress(Codec, compressed));
    }

    [Fact]
    public void HeaderDictionarySizeCoversTheEncoderDictionary()
    {
        // Preset 6 asks for 8 MiB; the block encoder caps it at 2 MiB, and the header must say so (not 4 KiB).
        var data = TestData.Text(BlockSize);
        var compressed = CodecRoundTrip.Compress(new LzmaCodec(preset: 6, threads: 1, blockSize: BlockSize), data);

        Assert.All(XzBlockList.Read(compressed), block => Assert.Contains($"dict={LzmaTuning.MaxDictionarySize >> 20}MiB", block.Filters));
        Assert.Equal(data, ExternalTool.Decode("xz", compressed));
    }

    [Theory]
    [InlineData("-6 -c")]
    [InlineData("-1 -T2 --block-size=100000 -c")]
    public async Task DecodesXzWithoutSizesInBlockHeadersAsync(string xzArguments)
    {
        // Archives written before block headers carried sizes decode like plain xz output does (no sizes either),
        // and threaded xz output (sizes, several blocks per stream) decodes too; a concatenation of both as well.
        var data = TestData.Mixed((2 * BlockSize) + 5, pieceSize: 64 * 1024);
        var legacy = ExternalTool.Run("xz", xzArguments, data).Stdout;
        Assert.NotEmpty(legacy);

        Assert.Equal(data, CodecRoundTrip.Decompress(Codec, legacy));
        Assert.Equal(data, await CodecRoundTrip.DecompressAsync(Codec, legacy));
        byte[] concatenated = [.. legacy, .. CodecRoundTrip.Compress(Codec, data), .. legacy];
        Assert.Equal([.. data, .. data, .. data], CodecRoundTrip.Decompress(Codec, concatenated));
    }

    [Fact]
    public async Task DecodesTheOldConcatenatedStreamLayoutAsync()
    {
        // Written by AutoGlacier before this layout change (backup of a 3-file directory, decrypted with
        // tools/autoglacier-decrypt.py): two concatenated one-block streams, a stored one and an LZMA2 one, whose
        // block headers carry no sizes.
        var fixture = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Compression", "Fixtures", "old-layout.tar.xz"));
        var blocks = XzBlockList.Read(fixture);
        Assert.Equal([1, 2], blocks.Select(block => block.Stream));
        Assert.All(blocks, block => Assert.Equal("--", block.HeaderFlags));

        var decoded = CodecRoundTrip.Decompress(Codec, fixture);
        Assert.Equal(316_416, decoded.Length);
        Assert.Equal("a1cf1f7c2777523af4fa7aa8faa3b4f9608aec5dc58df646cbc6f3d10c1c05cf",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(decoded)));
        Assert.Equal(decoded, await CodecRoundTrip.DecompressAsync(Codec, fixture));
    }
}
