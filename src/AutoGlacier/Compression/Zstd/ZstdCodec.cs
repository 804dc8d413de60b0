using ZstdSharp;
using ZstdSharp.Unsafe;

namespace AutoGlacier.Compression.Zstd;

/// <summary>
/// COMPRESSION=zstd, readable by <c>zstd -d</c>: libzstd with its own worker threads where it can be loaded (every
/// Debian/Ubuntu system has it), else ZstdSharp, the managed port (about half as fast, and its large methods cost
/// a second of JIT per process). Both write one standard frame and read each other's.
/// </summary>
internal sealed class ZstdCodec(int level, int threads, bool native) : ICompressionCodec
{
    /// <summary>A codec on libzstd when it loads, else on ZstdSharp.</summary>
    public ZstdCodec(int level, int threads) : this(level, threads, ZstdLibrary.IsAvailable)
    {
    }

    /// <summary>Levels 1–19 (default 3); a zstd frame starts with 28 B5 2F FD.</summary>
    public static CodecDescriptor Descriptor { get; } =
        new("zstd", new CodecLevels(1, 19, 3), [[0x28, 0xB5, 0x2F, 0xFD]], (level, threads) => new ZstdCodec(level, threads));

    /// <inheritdoc />
    public string Name => "zstd";

    /// <inheritdoc />
    public string FileExtension => ".zst";

    /// <inheritdoc />
    public Stream CreateCompressor(Stream output, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (native)
        {
            return new NativeZstdCompressorStream(output, leaveOpen, level, threads);
        }

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
        if (native)
        {
            return new NativeZstdDecompressorStream(input, leaveOpen);
        }

        return new ZstdDecompressorStream(new DecompressionStream(input, leaveOpen: leaveOpen));
    }
}
