namespace AutoGlacier.Compression;

/// <summary>COMPRESSION=none: bytes pass through unchanged (for data that is already compressed).</summary>
internal sealed class NoCompression : ICompressionCodec
{
    /// <summary>No levels; no magic: an archive whose decrypted bytes start with no other codec's magic is a plain tar.</summary>
    public static CodecDescriptor Descriptor { get; } = new("none", Levels: null, Magic: null, (_, _) => new NoCompression());

    /// <inheritdoc />
    public string Name => "none";

    /// <inheritdoc />
    public string FileExtension => ".tar";

    /// <inheritdoc />
    public Stream CreateCompressor(Stream output, bool leaveOpen) => new PassThroughWriteStream(output, leaveOpen);

    /// <inheritdoc />
    public Stream CreateDecompressor(Stream input, bool leaveOpen) => new PassThroughReadStream(input, leaveOpen);
}
