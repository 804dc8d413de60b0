using AutoGlacier.Compression.Lzma;

namespace AutoGlacier.Tests.Compression;

public class XzStoredEncoderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(300_000)]
    public void StoredBlockIsValidXz(int size)
    {
        var data = TestData.Random(size);
        var buffer = new byte[XzStoredEncoder.MaxEncodedLength(size)];
        var records = new List<XzIndexRecord>();
        var stream = XzFraming.WrapInStream(buffer.AsSpan(0, XzStoredEncoder.Encode(data, buffer, records)), records);

        Assert.Equal(0, ExternalTool.Run("xz", "-t", stream).ExitCode);
        Assert.Equal(data, ExternalTool.Decode("xz", stream));
        Assert.True(stream.Length <= size + (3 * ((size / 65536) + 1)) + 64, $"{stream.Length} bytes for {size}");
    }

    [Fact]
    public void RandomSegmentsAreStored()
    {
        var runs = BlockRun.Split(TestData.Random(1_000_000), 256 * 1024, LzmaTuning.StoreEntropyThreshold);

        Assert.All(runs, run => Assert.True(run.Stored));
    }

    [Fact]
    public void TextSegmentsAreCompressed()
    {
        var runs = BlockRun.Split(TestData.Text(1_000_000), 256 * 1024, LzmaTuning.StoreEntropyThreshold);

        Assert.All(runs, run => Assert.False(run.Stored));
    }

    [Fact]
    public void RepeatedRandomContentIsLeftToLzma()
    {
        var piece = TestData.Random(256 * 1024);
        byte[] block = [.. piece, .. piece];

        var runs = BlockRun.Split(block, 256 * 1024, LzmaTuning.StoreEntropyThreshold);

        Assert.All(runs, run => Assert.False(run.Stored));
    }

    [Fact]
    public void MixedBlockInterleavesStoredAndCompressedStreamsThatXzDecodes()
    {
        var data = TestData.Mixed(1_000_000, pieceSize: 128 * 1024);
        using var encoder = new XzBlockEncoder(
            LzmaEncoderSettings.FromPreset(1) with { DictionarySize = 1 << 20 }, segmentSize: 64 * 1024, LzmaTuning.StoreEntropyThreshold);
        var buffer = new byte[XzBlockEncoder.MaxEncodedLength(data.Length, 64 * 1024)];
        var records = new List<XzIndexRecord>();
        var stream = XzFraming.WrapInStream(buffer.AsSpan(0, encoder.Encode(data, buffer, records)), records);

        Assert.Contains(BlockRun.Split(data, 64 * 1024, LzmaTuning.StoreEntropyThreshold), run => run.Stored);
        Assert.Equal(data, ExternalTool.Decode("xz", stream));
        Assert.True(stream.Length < data.Length * 0.7);
        var blocks = XzBlockList.Read(stream);
        Assert.Equal(records.Count, blocks.Count);
        Assert.Contains(blocks, block => block.Filters.Contains("dict=4KiB", StringComparison.Ordinal));
        Assert.All(blocks, block => Assert.Equal("cu", block.HeaderFlags));
    }
}
