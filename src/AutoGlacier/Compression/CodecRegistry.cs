using AutoGlacier.Compression.Lzma;
using AutoGlacier.Compression.Zstd;

namespace AutoGlacier.Compression;

/// <summary>
/// The codecs this build supports. Config validation, codec creation and a restore's recognition of the compression
/// layer all read this one list: a new codec is its own folder (the codec and its <see cref="CodecDescriptor"/>)
/// and one line here.
/// </summary>
internal static class CodecRegistry
{
    /// <summary>Every codec, in the order messages and docs list them.</summary>
    public static IReadOnlyList<CodecDescriptor> All { get; } =
    [
        LzmaCodec.Descriptor,
        ZstdCodec.Descriptor,
        NoCompression.Descriptor,
    ];

    /// <summary>"lzma, zstd, none": the names as messages list them.</summary>
    public static string NameList { get; } = string.Join(", ", All.Select(c => c.Name));

    /// <summary>"lzma 0–9, zstd 1–19": the level ranges as messages list them.</summary>
    public static string LevelList { get; } = string.Join(", ", All.Where(c => c.Levels is not null).Select(c => $"{c.Name} {c.Levels}"));

    /// <summary>How many leading bytes <see cref="Recognise"/> needs.</summary>
    public static int MagicLength { get; } = All.Max(c => c.Magic?.Length ?? 0);

    /// <summary>The codec named exactly <paramref name="name"/> (as the config states it), or null.</summary>
    public static CodecDescriptor? Named(string? name) => All.FirstOrDefault(c => c.Name == name);

    /// <summary>Creates and validates the codec named <paramref name="name"/> (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="ConfigurationException">Unknown name, bad level or thread count, or the codec's native library is missing.</exception>
    public static ICompressionCodec Create(string name, CompressionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var threads = Threads(settings);
        var codec = Named(name?.Trim().ToLowerInvariant())
            ?? throw new ConfigurationException($"COMPRESSION={name} is not supported: use one of {NameList}.");
        return codec.Create(codec.Levels?.Resolve(settings.Level, codec.Name) ?? 0, threads);
    }

    /// <summary>The codec whose magic <paramref name="head"/> starts with, else the one without magic (a plain tar).</summary>
    public static CodecDescriptor Recognise(ReadOnlySpan<byte> head)
    {
        foreach (var codec in All)
        {
            if (codec.Magic is { } magic && head.StartsWith(magic)) { return codec; }
        }
        return All.Single(c => c.Magic is null);
    }

    /// <summary>The worker count, or one per core when unset.</summary>
    /// <exception cref="ConfigurationException">Less than 1.</exception>
    private static int Threads(CompressionSettings settings)
    {
        var threads = settings.Threads ?? Environment.ProcessorCount;
        if (threads < 1)
        {
            throw new ConfigurationException(
                $"COMPRESSION_THREADS={threads} is not valid: use 1 or more (leave it unset for one per core, {Environment.ProcessorCount} here).");
        }
        return threads;
    }
}
