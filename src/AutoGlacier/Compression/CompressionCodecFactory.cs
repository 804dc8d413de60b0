using AutoGlacier.Compression.Lzma;
using AutoGlacier.Compression.Zstd;

namespace AutoGlacier.Compression;

/// <summary>Implementation behind <see cref="CompressionCodecs.Create"/>.</summary>
internal static class CompressionCodecFactory
{
    /// <summary>Creates and validates the codec named <paramref name="name"/> (case-insensitive).</summary>
    public static ICompressionCodec Create(string name, CompressionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var threads = CompressionSettingsResolver.Threads(settings);
        return name?.Trim().ToUpperInvariant() switch
        {
            "LZMA" => new LzmaCodec(CompressionSettingsResolver.Level(settings, "lzma", 0, 9, LzmaTuning.DefaultLevel), threads),
            "ZSTD" => new ZstdCodec(CompressionSettingsResolver.Level(settings, "zstd", 1, 19, 3), threads),
            "NONE" => new NoCompression(),
            _ => throw new ConfigurationException(
                $"COMPRESSION={name} is not supported: use one of {string.Join(", ", CompressionCodecs.Names)}."),
        };
    }
}
