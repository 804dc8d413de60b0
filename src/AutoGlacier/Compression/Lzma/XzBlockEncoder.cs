namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Encodes one block of input as a sequence of .xz blocks (one per run, all in the output's one stream): LZMA2 for
/// compressible runs, stored chunks for runs that would not shrink. Not thread-safe; each worker uses its own.
/// </summary>
internal sealed class XzBlockEncoder : IDisposable
{
    /// <summary>Per-block framing plus one chunk header of slack, added to the bound once per possible run.</summary>
    private const int PerRunOverhead = 256;

    private readonly LzmaRunEncoder _lzma;
    private readonly int _segmentSize;
    private readonly double _storeThreshold;

    /// <summary>Creates an encoder with LZMA2 <paramref name="settings"/> and the given entropy-skip tuning.</summary>
    public XzBlockEncoder(LzmaEncoderSettings settings, int segmentSize, double storeThreshold)
    {
        _lzma = new LzmaRunEncoder(settings);
        _segmentSize = segmentSize;
        _storeThreshold = storeThreshold;
    }

    /// <summary>Output buffer size that always suffices for a block of <paramref name="blockLength"/> bytes.</summary>
    public static int MaxEncodedLength(int blockLength, int segmentSize)
    {
        var maxRuns = Math.Max(1, (blockLength + segmentSize - 1) / segmentSize);
        var worstOfBoth = Math.Max(LzmaRunEncoder.MaxEncodedLength(blockLength), XzStoredEncoder.MaxEncodedLength(blockLength));
        return checked(worstOfBoth + (maxRuns * PerRunOverhead));
    }

    /// <summary>
    /// Encodes <paramref name="block"/> into <paramref name="output"/>, adding each .xz block's index record to
    /// <paramref name="records"/>; returns bytes written.
    /// </summary>
    public int Encode(ReadOnlySpan<byte> block, Span<byte> output, List<XzIndexRecord> records)
    {
        var written = 0;
        foreach (var run in BlockRun.Split(block, _segmentSize, _storeThreshold))
        {
            var data = block.Slice(run.Start, run.Length);
            written += run.Stored
                ? XzStoredEncoder.Encode(data, output[written..], records)
                : _lzma.Encode(data, output[written..], records);
        }

        return written;
    }

    /// <inheritdoc />
    public void Dispose() => _lzma.Dispose();
}
