namespace AutoGlacier.Compression.Lzma;

/// <summary>COMPRESSION=lzma: parallel .xz output via liblzma, readable by <c>xz -d</c>.</summary>
internal sealed class LzmaCodec : ICompressionCodec
{
    /// <summary>Presets 0–9; an .xz stream starts with FD 37 7A 58 5A 00.</summary>
    public static CodecDescriptor Descriptor { get; } = new("lzma", new CodecLevels(0, 9, LzmaTuning.DefaultLevel),
        [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], (preset, threads) => new LzmaCodec(preset, threads));

    private readonly int _preset;
    private readonly int _threads;
    private readonly int _blockSize;

    /// <summary>Creates the codec; fails with a <see cref="ConfigurationException"/> when liblzma is missing.</summary>
    public LzmaCodec(int preset, int threads, int blockSize = LzmaTuning.BlockSize)
    {
        _ = LzmaLibrary.Instance;
        _preset = preset;
        _threads = threads;
        _blockSize = blockSize;
    }

    /// <inheritdoc />
    public string Name => "lzma";

    /// <inheritdoc />
    public string FileExtension => ".xz";

    /// <inheritdoc />
    public Stream CreateCompressor(Stream output, bool leaveOpen) =>
        new ParallelXzCompressorStream(output, leaveOpen, _preset, _threads, _blockSize);

    /// <inheritdoc />
    public Stream CreateDecompressor(Stream input, bool leaveOpen) => new XzDecompressorStream(input, leaveOpen);
}
