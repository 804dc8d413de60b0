using AutoGlacier.Compression.Lzma.Managed;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// COMPRESSION=lzma. With liblzma: parallel .xz output (<see cref="ParallelXzCompressorStream"/>). Where liblzma
/// cannot be loaded (or <c>AUTOGLACIER_LZMA=managed</c>): the managed fallback, parallel .lz members encoded by
/// SharpCompress. <c>xz -d</c> reads both; the decompressor reads both with either engine.
/// </summary>
internal sealed class LzmaCodec : ICompressionCodec
{
    /// <summary>Presets 0–9; an .xz stream starts with FD 37 7A 58 5A 00.</summary>
    public static CodecDescriptor Descriptor { get; } = new("lzma", new CodecLevels(0, 9, LzmaTuning.DefaultLevel),
        [[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], LzipFormat.Magic.ToArray()], (preset, threads) => new LzmaCodec(preset, threads));

    private readonly int _preset;
    private readonly int _threads;
    private readonly int _blockSize;
    private readonly LzmaEngine _engine;

    /// <summary>Creates the codec on the process's engine (<see cref="LzmaEngineSelector"/>).</summary>
    public LzmaCodec(int preset, int threads, int blockSize = LzmaTuning.BlockSize)
        : this(preset, threads, LzmaEngineSelector.Current, blockSize)
    {
    }

    /// <summary>Creates the codec on <paramref name="engine"/>.</summary>
    /// <exception cref="ConfigurationException">The native engine without liblzma.</exception>
    public LzmaCodec(int preset, int threads, LzmaEngine engine, int blockSize = LzmaTuning.BlockSize)
    {
        if (engine == LzmaEngine.Native)
        {
            _ = LzmaLibrary.Instance;
        }

        _preset = preset;
        _threads = threads;
        _blockSize = blockSize;
        _engine = engine;
    }

    /// <inheritdoc />
    public string Name => "lzma";

    /// <inheritdoc />
    public string FileExtension => _engine == LzmaEngine.Native ? ".xz" : ".lz";

    /// <summary>The engine this codec compresses with.</summary>
    public LzmaEngine Engine => _engine;

    /// <inheritdoc />
    public Stream CreateCompressor(Stream output, bool leaveOpen) => _engine == LzmaEngine.Native
        ? new ParallelXzCompressorStream(output, leaveOpen, LzmaTuning.EncoderSettings(_preset), _threads, _blockSize)
        : new LzipCompressorStream(output, leaveOpen, _threads, _blockSize,
            ManagedLzmaTuning.DictionaryCap, ManagedLzmaTuning.NiceLength(_preset));

    /// <inheritdoc />
    public Stream CreateDecompressor(Stream input, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new LzmaFormatSniffingStream(input, leaveOpen, _engine);
    }
}
