using AutoGlacier.Compression.Lzma;

namespace AutoGlacier.Tests.Compression;

public class LzmaEncoderSettingsTests
{
    [Fact]
    public void PresetsReadBackAsLiblzmaDocumentsThem()
    {
        // Reading liblzma's own presets through our struct mirror checks the field offsets against the real library.
        Assert.Equal(new LzmaEncoderSettings(6, 8 << 20, LzmaMatchFinder.Bt4, 64, 0, LzmaMode.Normal), LzmaEncoderSettings.FromPreset(6));
        Assert.Equal(new LzmaEncoderSettings(1, 1 << 20, LzmaMatchFinder.Hc4, 128, 8, LzmaMode.Fast), LzmaEncoderSettings.FromPreset(1));
    }

    [Theory]
    [InlineData("hc4", 32u, 0u, "fast")]
    [InlineData("bt4", 273u, 4u, "normal")]
    [InlineData("bt3", 16u, 100u, "normal")]
    public void EveryMatchFinderAndModeWritesXzThatXzReads(string matchFinder, uint niceLength, uint depth, string mode)
    {
        var settings = LzmaEncoderSettings.FromPreset(6) with
        {
            DictionarySize = 1 << 20,
            MatchFinder = Enum.Parse<LzmaMatchFinder>(matchFinder, ignoreCase: true),
            NiceLength = niceLength,
            Depth = depth,
            Mode = Enum.Parse<LzmaMode>(mode, ignoreCase: true),
        };
        var data = TestData.Mixed(600_000, pieceSize: 100_000);

        var compressed = Compress(settings, data);

        Assert.Equal(0, ExternalTool.Run("xz", "-t", compressed).ExitCode);
        Assert.Equal(data, ExternalTool.Decode("xz", compressed));
        Assert.Contains(XzBlockList.Read(compressed), block => block.Filters.Contains("dict=1MiB", StringComparison.Ordinal));
    }

    [Fact]
    public void SettingsReachTheEncoder()
    {
        // Fast mode with a short nice length finds worse matches than the preset: if the fields were written anywhere
        // but where liblzma reads them, both outputs would be identical.
        var data = TestData.Text(1_000_000);
        var preset = LzmaEncoderSettings.FromPreset(6) with { DictionarySize = 1 << 20 };

        var weaker = Compress(preset with { MatchFinder = LzmaMatchFinder.Hc4, NiceLength = 8, Depth = 1, Mode = LzmaMode.Fast }, data);

        Assert.True(weaker.Length > Compress(preset, data).Length * 1.02, $"{weaker.Length} vs {Compress(preset, data).Length}");
    }

    [Fact]
    public void DefaultLevelKeepsTheDictionaryCap()
    {
        var settings = LzmaTuning.EncoderSettings(LzmaTuning.DefaultLevel);

        Assert.Equal(LzmaTuning.MaxDictionarySize, settings.DictionarySize);
        Assert.Equal(LzmaTuning.DefaultLevel, settings.Preset);
    }

    private static byte[] Compress(LzmaEncoderSettings settings, byte[] data)
    {
        var output = new MemoryStream();
        using (var xz = new ParallelXzCompressorStream(output, leaveOpen: true, settings, threads: 2, blockSize: 256 * 1024))
        {
            xz.Write(data);
        }

        return output.ToArray();
    }
}
