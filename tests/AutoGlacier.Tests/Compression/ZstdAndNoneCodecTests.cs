using AutoGlacier.Compression;
using AutoGlacier.Compression.Zstd;

namespace AutoGlacier.Tests.Compression;

public class ZstdAndNoneCodecTests
{
    private static readonly ICompressionCodec Zstd = CompressionCodecs.Create("zstd", new CompressionSettings(Threads: 2));
    private static readonly ICompressionCodec SingleThreadZstd = CompressionCodecs.Create("zstd", new CompressionSettings(Level: 1, Threads: 1));
    private static readonly ICompressionCodec None = CompressionCodecs.Create("none", new CompressionSettings());

    public static TheoryData<int> Sizes => [0, 1, 65_535, 1_000_000, 3_000_001];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task ZstdRoundTripsAndZstdCliDecodes(int size)
    {
        var data = TestData.Mixed(size, pieceSize: 200_000);
        var compressed = await CodecRoundTrip.CompressAsync(Zstd, data);

        Assert.Equal(data, CodecRoundTrip.Decompress(Zstd, compressed));
        Assert.Equal(data, ExternalTool.Decode("zstd", compressed));
        Assert.Equal(data, ExternalTool.Decode("zstd", CodecRoundTrip.Compress(SingleThreadZstd, data)));
    }

    [Fact]
    public void ZstdCompressesText()
    {
        var data = TestData.Text(1_000_000);

        Assert.True(CodecRoundTrip.Compress(Zstd, data).Length < data.Length / 3);
    }

    [Fact]
    public void ZstdCorruptDataIsReported()
    {
        var compressed = CodecRoundTrip.Compress(Zstd, TestData.Text(500_000));
        compressed[compressed.Length / 2] ^= 0x55;

        Assert.Throws<AutoGlacierException>(() => CodecRoundTrip.Decompress(Zstd, compressed));
        Assert.Throws<AutoGlacierException>(() => CodecRoundTrip.Decompress(Zstd, TestData.Text(1000)));
    }

    [Fact]
    public void ZstdTruncatedDataIsReported()
    {
        var compressed = CodecRoundTrip.Compress(Zstd, TestData.Text(500_000));

        Assert.Throws<AutoGlacierException>(() => CodecRoundTrip.Decompress(Zstd, compressed[..^10]));
    }

    [Fact]
    public void ZstdFlushDoesNotEndTheStream()
    {
        var output = new MemoryStream();
        using (var compressor = Zstd.CreateCompressor(output, leaveOpen: true))
        {
            compressor.Write(TestData.Text(1000));
            compressor.Flush();
            compressor.Write(TestData.Text(1000, seed: 9));
        }

        Assert.Equal([.. TestData.Text(1000), .. TestData.Text(1000, seed: 9)], ExternalTool.Decode("zstd", output.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task LibzstdAndTheManagedFallbackReadEachOther(int size)
    {
        Assert.True(ZstdLibrary.IsAvailable, "libzstd.so.1 should load on the test machines (Debian: libzstd1)");
        var native = new ZstdCodec(level: 3, threads: 2, native: true);
        var managed = new ZstdCodec(level: 3, threads: 2, native: false);
        var data = TestData.Mixed(size, pieceSize: 200_000);

        Assert.Equal(data, CodecRoundTrip.Decompress(managed, CodecRoundTrip.Compress(native, data)));
        Assert.Equal(data, await CodecRoundTrip.DecompressAsync(native, await CodecRoundTrip.CompressAsync(managed, data)));
        // Tar-sized writes (a 512-byte header, then content), as the backup makes them.
        Assert.Equal(data, await CodecRoundTrip.DecompressAsync(native, await CodecRoundTrip.CompressAsync(native, data, writeSize: 512)));
    }

    [Fact]
    public void ZstdReadsConcatenatedFramesAsOneStream()
    {
        var first = TestData.Text(300_000);
        var second = TestData.Mixed(700_000, pieceSize: 100_000);
        var fromCli = ExternalTool.Run("zstd", "-3 -c -q", second);
        Assert.Equal(0, fromCli.ExitCode);
        byte[] frames = [.. CodecRoundTrip.Compress(Zstd, first), .. fromCli.Stdout];

        Assert.Equal([.. first, .. second], CodecRoundTrip.Decompress(Zstd, frames));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void NonePassesBytesThrough(int size)
    {
        var data = TestData.Random(size);
        var compressed = CodecRoundTrip.Compress(None, data);

        Assert.Equal(data, compressed);
        Assert.Equal(data, CodecRoundTrip.Decompress(None, compressed));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("zstd")]
    public void LeaveOpenIsRespected(string name)
    {
        var codec = CompressionCodecs.Create(name, new CompressionSettings());
        var kept = new MemoryStream();
        codec.CreateCompressor(kept, leaveOpen: true).Dispose();
        codec.CreateDecompressor(kept, leaveOpen: true).Dispose();
        Assert.True(kept.CanWrite);

        var closed = new MemoryStream();
        codec.CreateCompressor(closed, leaveOpen: false).Dispose();
        Assert.False(closed.CanWrite);
    }
}
