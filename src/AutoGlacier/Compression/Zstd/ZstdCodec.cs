using ZstdSharp;
using ZstdSharp.Unsafe;

namespace AutoGlacier.Compression.Zstd;

/// <summary>COMPRESSION=zstd: ZstdSharp (managed port of zstd), multithreaded, readable by <c>zstd -d</c>.</summary>
internal sealed class ZstdCodec(int level, int threads) : ICompressionCodec
{
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
