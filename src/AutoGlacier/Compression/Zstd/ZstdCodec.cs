using ZstdSharp;
using ZstdSharp.Unsafe;

namespace AutoGlacier.Compression.Zstd;

/// <summary>COMPRESSION=zstd: ZstdSharp (managed port of zstd), multithreaded, readable by <c>zstd -d</c>.</summary>
internal sealed class ZstdCodec(int level, int threads) : ICompressionCodec
{
    /// <summary>Levels 1–19 (default 3); a zstd frame starts with 28 B5 2F FD.</summary>
    public static CodecDescriptor Descriptor { get; } =
        new("zstd", new CodecLevels(1, 19, 3), [0x28, 0xB5, 0x2F, 0xFD], (level, threads) => new ZstdCodec(level, threads));

    /// <inheritdoc />
    public string Name => "zstd";

    /// <inheritdoc />
    public string FileExtension => ".zst";

    /// <inheritdoc />
    public Stream CreateCompressor(Stream output, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(output);
        var stream = new CompressionStream(output, level, leaveOpen: leaveOpen);

        // zstd's worker count excludes the caller: 0 means "compress on the writing thread", which is what 1 thread means.
        if (threads > 1)
        {
            stream.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, threads);
        }

        return stream;
    }

    /// <inheritdoc />
    public Stream CreateDecompressor(Stream input, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ZstdDecompressorStream(new DecompressionStream(input, leaveOpen: leaveOpen));
    }
}
