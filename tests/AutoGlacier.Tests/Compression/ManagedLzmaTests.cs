using AutoGlacier.Compression.Lzma;

namespace AutoGlacier.Tests.Compression;

/// <summary>The lzma codec's managed fallback (SharpCompress, .lz members), run here by choosing its engine.</summary>
public class ManagedLzmaTests
{
    // Small members keep the tests fast while still crossing many member boundaries.
    private const int BlockSize = 256 * 1024;

    private static readonly LzmaCodec Managed = new(preset: 6, threads: 2, LzmaEngine.Managed, blockSize: BlockSize);
    private static readonly LzmaCodec Native = new(preset: 1, threads: 2, LzmaEngine.Native, blockSize: BlockSize);

    public static TheoryData<int> Sizes => [0, 1, BlockSize - 1, BlockSize, BlockSize + 1, (3 * BlockSize) + 17];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Round_trips_and_stock_xz_decodes_the_lzip_output(int size)
    {
        var data = TestData.Mixed(size, pieceSize: 50_000);
        var compressed = CodecRoundTrip.Compress(Managed, data);

        Assert.True(compressed.AsSpan().StartsWith("LZIP"u8));
        Assert.Equal(data, CodecRoundTrip.Decompress(Managed, compressed));
        Assert.Equal(data, ExternalTool.Decode("xz", compressed));
        Assert.Equal(0, ExternalTool.Run("xz", "--format=lzip -t", compressed).ExitCode);
    }

    [Fact]
    public async Task Round_trips_asynchronously_and_the_native_engine_reads_it_too()
    {
        var data = TestData.Text((2 * BlockSize) + 999);
        var compressed = await CodecRoundTrip.CompressAsync(Managed, data);

        Assert.Equal(data, await CodecRoundTrip.DecompressAsync(Managed, compressed));
        Assert.Equal(data, await CodecRoundTrip.DecompressAsync(Native, compressed));
        Assert.True(compressed.Length < data.Length / 3, $"{compressed.Length} bytes for {data.Length} of text");
    }

    [Fact]
    public void Reads_xz_written_with_liblzma_without_liblzma()
    {
        var data = TestData.Mixed((3 * BlockSize) + 5, pieceSize: 70_000);
        var native = CodecRoundTrip.Compress(Native, data);

        Assert.True(native.AsSpan().StartsWith(new byte[] { 0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0 }));
        Assert.Equal(data, CodecRoundTrip.Decompress(Managed, native));
    }

    [Fact]
    public async Task Reads_the_older_concatenated_stream_layout_without_liblzma()
    {
        var fixture = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Compression", "Fixtures", "old-layout.tar.xz"));

        Assert.Equal(ExternalTool.Decode("xz", fixture), CodecRoundTrip.Decompress(Managed, fixture));
    }

    [Fact]
    public void Concatenated_lz_files_read_as_one_like_xz_reads_them()
    {
        var first = TestData.Text(300_000, seed: 5);
        var second = TestData.Random(10_000);
        byte[] lz = [.. CodecRoundTrip.Compress(Managed, first), .. CodecRoundTrip.Compress(Managed, second)];

        Assert.Equal(first.Concat(second), ExternalTool.Decode("xz", lz));

        Assert.Equal(first.Concat(second), CodecRoundTrip.Decompress(Managed, lz));
        Assert.Equal(first.Concat(second), CodecRoundTrip.Decompress(Native, lz));
    }

    [Theory]
    [InlineData("crc")]
    [InlineData("data")]
    [InlineData("truncated")]
    [InlineData("garbage-after")]
    public void Damage_is_reported_as_corrupt_data(string damage)
    {
        var compressed = CodecRoundTrip.Compress(Managed, TestData.Text(BlockSize + 10));
        var firstMemberEnd = MemberSize(compressed);
        var damaged = damage switch
        {
            "crc" => Flip(compressed, firstMemberEnd - 20),
            "data" => Flip(compressed, 100),
            "truncated" => compressed[..^7],
            _ => [.. compressed, .. "LZIQ\x01\x0c"u8.ToArray()],
        };

        var error = Assert.Throws<AutoGlacierException>(() => CodecRoundTrip.Decompress(Managed, damaged));
        Assert.Contains("corrupt", error.Message);
    }

    [Theory]
    [InlineData(null, true, "Native")]
    [InlineData("", false, "Managed")]
    [InlineData("auto", false, "Managed")]
    [InlineData("managed", true, "Managed")]
    [InlineData(" Managed ", true, "Managed")]
    [InlineData("native", true, "Native")]
    public void The_engine_is_liblzma_when_it_loads_unless_told_otherwise(string? setting, bool nativeLoads, string expected) =>
        Assert.Equal(Enum.Parse<LzmaEngine>(expected), LzmaEngineSelector.Choose(setting, () => nativeLoads));

    [Theory]
    [InlineData("native", false, "could not be loaded")]
    [InlineData("fast", true, "auto, native or managed")]
    public void A_setting_that_cannot_be_honoured_says_why(string setting, bool nativeLoads, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => LzmaEngineSelector.Choose(setting, () => nativeLoads));
        Assert.Contains(expected, error.Message);
    }

    private static byte[] Flip(byte[] data, int index)
    {
        var copy = data.ToArray();
        copy[index] ^= 0x55;
        return copy;
    }

    /// <summary>The first member's size, from its trailer's last field, found by scanning for the next "LZIP".</summary>
    private static int MemberSize(byte[] lz) => lz.AsSpan(4).IndexOf("LZIP"u8) + 4;
}
