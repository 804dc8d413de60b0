using AutoGlacier.Compression;

namespace AutoGlacier.Tests.Compression;

public class CompressionSettingsTests
{
    [Theory]
    [InlineData("lzma", -1)]
    [InlineData("lzma", 10)]
    [InlineData("zstd", 0)]
    [InlineData("zstd", 20)]
    public void BadLevelNamesTheKeyAndValue(string codec, int level)
    {
        var error = Assert.Throws<ConfigurationException>(() => CompressionCodecs.Create(codec, new CompressionSettings(Level: level)));

        Assert.Contains("COMPRESSION_LEVEL", error.Message, StringComparison.Ordinal);
        Assert.Contains(level.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void BadThreadsNamesTheKeyAndValue(int threads)
    {
        var error = Assert.Throws<ConfigurationException>(() => CompressionCodecs.Create("lzma", new CompressionSettings(Threads: threads)));

        Assert.Contains("COMPRESSION_THREADS", error.Message, StringComparison.Ordinal);
        Assert.Contains(threads.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCodecNamesTheKeyTheValueAndTheChoices()
    {
        var error = Assert.Throws<ConfigurationException>(() => CompressionCodecs.Create("bzip2", new CompressionSettings()));

        Assert.Contains("COMPRESSION", error.Message, StringComparison.Ordinal);
        Assert.Contains("bzip2", error.Message, StringComparison.Ordinal);
        Assert.All(CompressionCodecs.Names, name => Assert.Contains(name, error.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("lzma", ".xz")]
    [InlineData("zstd", ".zst")]
    [InlineData("none", ".tar")]
    public void EveryListedNameCreatesItsCodec(string name, string extension)
    {
        var codec = CompressionCodecs.Create(name, new CompressionSettings());

        Assert.Equal(name, codec.Name);
        Assert.Equal(extension, codec.FileExtension);
        Assert.Contains(name, CompressionCodecs.Names);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void EdgeLevelsAreAccepted(int level) =>
        Assert.Equal("lzma", CompressionCodecs.Create("lzma", new CompressionSettings(level, 1)).Name);
}
