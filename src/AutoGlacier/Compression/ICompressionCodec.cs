namespace AutoGlacier.Compression;

/// <summary>
/// A compression layer of the pipeline. Compressors are write-only streams that finish the compressed stream on
/// dispose; decompressors are read-only streams. Both stream: memory does not grow with input size.
/// </summary>
public interface ICompressionCodec
{
    /// <summary>COMPRESSION value: <c>lzma</c>, <c>zstd</c> or <c>none</c>.</summary>
    string Name { get; }

    /// <summary>What a user would call the output (".xz", ".zst", ".tar"): used in docs and messages.</summary>
    string FileExtension { get; }

    /// <summary>Returns a write-only stream that compresses into <paramref name="output"/>.</summary>
    Stream CreateCompressor(Stream output, bool leaveOpen);

    /// <summary>Returns a read-only stream that decompresses <paramref name="input"/>.</summary>
    Stream CreateDecompressor(Stream input, bool leaveOpen);
}

/// <summary>Codec tuning. Nulls mean the codec's defaults.</summary>
/// <param name="Level">Preset (lzma 0–9, zstd 1–19).</param>
/// <param name="Threads">Worker threads; null = one per core.</param>
public sealed record CompressionSettings(int? Level = null, int? Threads = null);

/// <summary>Creates codecs by COMPRESSION name.</summary>
public static class CompressionCodecs
{
    /// <summary>The COMPRESSION values this build supports.</summary>
    public static IReadOnlyList<string> Names { get; } = CodecRegistry.All.Select(c => c.Name).ToList();

    /// <summary>Creates the codec named <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">Unknown name, bad level, or the codec's native library is missing.</exception>
    public static ICompressionCodec Create(string name, CompressionSettings settings) =>
        CodecRegistry.Create(name, settings);
}
