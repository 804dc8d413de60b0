namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Compresses one run of bytes into one .xz block (LZMA2, CRC64): liblzma's raw LZMA2 encoder produces the block data
/// and <see cref="XzFraming"/> writes the block header, padding and check around it, so the header records both sizes
/// (liblzma's stream encoder cannot know them when it writes the header). One instance per worker: re-initialising
/// the same <c>lzma_stream</c> lets liblzma reuse its match-finder memory between runs.
/// </summary>
internal sealed unsafe class LzmaRunEncoder : IDisposable
{
    private readonly LzmaLibrary _lzma = LzmaLibrary.Instance;
    private readonly LzmaStreamHandle _stream = new();

    // Layout: [lzma_options_lzma][lzma_filter x 2]. Kept alive as long as the encoder because liblzma reads it on init.
    private readonly NativeMemoryHandle _filterChain = new(LzmaConstants.OptionsLzmaAllocSize + (2 * sizeof(LzmaFilterNative)));
    private readonly byte _dictionaryProperty;

    /// <summary>Creates an encoder with <paramref name="settings"/>.</summary>
    public LzmaRunEncoder(LzmaEncoderSettings settings)
    {
        var options = _filterChain.Pointer;
        settings.WriteTo(options);
        _dictionaryProperty = XzFraming.Lzma2DictionaryProperty(settings.DictionarySize);

        var filters = (LzmaFilterNative*)(options + LzmaConstants.OptionsLzmaAllocSize);
        filters[0] = new LzmaFilterNative { Id = LzmaConstants.FilterLzma2, Options = options };
        filters[1] = new LzmaFilterNative { Id = LzmaConstants.FilterChainEnd, Options = null };
    }

    /// <summary>Worst-case size of <see cref="Encode"/>'s output for <paramref name="length"/> input bytes.</summary>
    public static int MaxEncodedLength(int length) =>
        checked((int)LzmaLibrary.Instance.StreamBufferBound((nuint)length) + XzFraming.MaxBlockOverhead);

    /// <summary>
    /// Writes a block holding <paramref name="input"/> into <paramref name="output"/> and its index record to
    /// <paramref name="records"/>; returns its length (0 for empty input: no block).
    /// </summary>
    public int Encode(ReadOnlySpan<byte> input, Span<byte> output, List<XzIndexRecord> records)
    {
        var stream = _stream.Stream;
        var filters = (LzmaFilterNative*)(_filterChain.Pointer + LzmaConstants.OptionsLzmaAllocSize);
        if (input.IsEmpty)
        {
            return 0;
        }

        ThrowOnError(_lzma.RawEncoder(stream, filters), "start");

        // The raw LZMA2 data goes where the largest possible header would end; WriteBlock moves it down.
        const int dataOffset = XzFraming.MaxBlockHeaderSize;
        var dataSpace = output[dataOffset..^(XzFraming.MaxBlockOverhead - dataOffset)];

        fixed (byte* inputPointer = input)
        fixed (byte* outputPointer = dataSpace)
        {
            stream->NextIn = inputPointer;
            stream->AvailIn = (nuint)input.Length;
            stream->NextOut = outputPointer;
            stream->AvailOut = (nuint)dataSpace.Length;
            int compressedSize;
            try
            {
                RunToStreamEnd(stream);
                compressedSize = dataSpace.Length - (int)stream->AvailOut;
            }
            finally
            {
                // Never leave pointers into buffers that are about to be unpinned.
                stream->NextIn = null;
                stream->NextOut = null;
                stream->AvailIn = 0;
                stream->AvailOut = 0;
            }

            return XzFraming.WriteBlock(_lzma, input, output, dataOffset, compressedSize, _dictionaryProperty, records);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        _filterChain.Dispose();
    }

    private void RunToStreamEnd(LzmaStreamNative* stream)
    {
        while (true)
        {
            var ret = _lzma.Code(stream, LzmaConstants.ActionFinish);
            if (ret == LzmaConstants.StreamEnd)
            {
                return;
            }

            ThrowOnError(ret, "compress");
        }
    }

    private static void ThrowOnError(int ret, string step)
    {
        if (ret != LzmaConstants.Ok)
        {
            throw new AutoGlacierException($"lzma compression failed to {step}: {LzmaConstants.Describe(ret)}.");
        }
    }
}
