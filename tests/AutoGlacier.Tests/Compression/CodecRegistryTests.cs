using AutoGlacier.Compression;
using AutoGlacier.Configuration;
using AutoGlacier.Restore;

namespace AutoGlacier.Tests.Compression;

/// <summary>The codec list drives creation, config validation and a restore's recognition: each is checked per listed codec.</summary>
public class CodecRegistryTests
{
    public static TheoryData<string> Codecs() => [.. CodecRegistry.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Each_codec_is_recognised_from_its_own_output_and_round_trips(string name)
    {
        var codec = CompressionCodecs.Create(name, new CompressionSettings(Threads: 1));
        var data = TestData.Text(200_000);
        using var compressed = new MemoryStream();
        await using (var compressor = codec.CreateCompressor(compressed, leaveOpen: true))
        {
            await compressor.WriteAsync(data);
        }
        compressed.Position = 0;
        var (recognised, stream) = await CodecSniffer.SniffAsync(compressed, CancellationToken.None);
        Assert.Equal(name, recognised);
        await using var decompressor = codec.CreateDecompressor(stream, leaveOpen: false);
        using var restored = new MemoryStream();
        await decompressor.CopyToAsync(restored);
        Assert.Equal(data, restored.ToArray());
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Config_validation_accepts_each_codecs_levels_and_rejects_the_rest(string name)
    {
        var descriptor = CodecRegistry.Named(name)!;
        var config = new GteuConfig { Compression = name };
        if (descriptor.Levels is not { } levels)
        {
            Assert.Contains(ConfigRules.Check(config with { CompressionLevel = 1 }), e => e.Contains("has no meaning", StringComparison.Ordinal));
            Assert.DoesNotContain(ConfigRules.Check(config), e => e.Contains(ConfigKeys.Compression, StringComparison.Ordinal));
            return;
        }
        foreach (var level in new[] { levels.Min, levels.Default, levels.Max })
        {
            Assert.DoesNotContain(ConfigRules.Check(config with { CompressionLevel = level }), e => e.Contains(ConfigKeys.Compression, StringComparison.Ordinal));
            Assert.Equal(name, CompressionCodecs.Create(name, new CompressionSettings(level, 1)).Name);
        }
        foreach (var level in new[] { levels.Min - 1, levels.Max + 1 })
        {
            Assert.Contains(ConfigRules.Check(config with { CompressionLevel = level }), e => e.Contains($"is out of range for {name}", StringComparison.Ordinal));
            Assert.Throws<ConfigurationException>(() => CompressionCodecs.Create(name, new CompressionSettings(level, 1)));
        }
    }

    [Fact]
    public void Bytes_with_no_codecs_magic_are_a_plain_tar()
    {
        Assert.Equal("none", CodecRegistry.Recognise("ustar-ish"u8).Name);
        Assert.Equal("none", CodecRegistry.Recognise([]).Name);
        Assert.Single(CodecRegistry.All, c => c.Magic is null);
    }
}
