using AutoGlacier.Streams;
namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Read-only stream over liblzma's .xz decoder. Decodes any number of concatenated .xz streams (which is what the
/// compressor writes), with no hard memory limit because the archive is our own. With liblzma 5.4 or later it is the
/// threaded decoder: blocks whose headers carry both sizes (everything the compressor writes now) are decoded by
/// worker threads, ahead of the reader; blocks without sizes (older archives, plain <c>xz</c> output) are decoded in
/// the calling thread, exactly as the single-threaded decoder would.
/// </summary>
internal sealed class XzDecompressorStream : ReadOnlyStream
{
    private const int InputBufferSize = 64 * 1024;

    /// <summary>
    /// Above this much decoder memory liblzma stops starting new threads (it never fails because of it). Our blocks are
    /// at most 8 MiB in and 8 MiB out plus a 2 MiB dictionary, so this is several blocks in flight.
    /// </summary>
    private const ulong ThreadingMemoryLimit = 256UL << 20;

    private readonly LzmaLibrary _lzma = LzmaLibrary.Instance;
    private readonly LzmaStreamHandle _decoder = new();
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly byte[] _inputBuffer = new byte[InputBufferSize];
    private int _inputOffset;
    private int _inputCount;
    private bool _inputEnded;
    private bool _streamEnded;
    private bool _disposed;

    /// <summary>Creates a decoder reading compressed bytes from <paramref name="input"/>.</summary>
    public XzDecompressorStream(Stream input, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _leaveOpen = leaveOpen;
        var ret = StartDecoder();
        if (ret != LzmaConstants.Ok)
        {
            _decoder.Dispose();
            throw new AutoGlacierException($"lzma decompression could not start: {LzmaConstants.Describe(ret)}.");
        }
    }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (NeedsInput())
            {
                FillInput(_input.Read(_inputBuffer, 0, _inputBuffer.Length));
            }

            var produced = Decode(buffer);
            if (produced > 0 || _streamEnded || buffer.IsEmpty)
            {
                return produced;
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (NeedsInput())
            {
                FillInput(await _input.ReadAsync(_inputBuffer, cancellationToken).ConfigureAwait(false));
            }

            var produced = Decode(buffer.Span);
            if (produced > 0 || _streamEnded || buffer.IsEmpty)
            {
                return produced;
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _decoder.Dispose();
            if (!_leaveOpen)
            {
                _input.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private unsafe int StartDecoder()
    {
        if (_lzma.StreamDecoderMt is null)
        {
            return _lzma.StreamDecoder(_decoder.Stream, ulong.MaxValue, LzmaConstants.Concatenated);
        }

        var options = new LzmaMtNative
        {
            Flags = LzmaConstants.Concatenated,
            Threads = (uint)Math.Max(1, Environment.ProcessorCount),
            MemlimitThreading = ThreadingMemoryLimit,
            MemlimitStop = ulong.MaxValue,
        };
        return _lzma.StreamDecoderMt(_decoder.Stream, &options);
    }

    private bool NeedsInput() => !_streamEnded && !_inputEnded && _inputOffset == _inputCount;

    private void FillInput(int count)
    {
        _inputOffset = 0;
        _inputCount = count;
        _inputEnded = count == 0;
    }

    /// <summary>One lzma_code call. Buffers are pinned only for the call; liblzma keeps no pointer to them after.</summary>
    private unsafe int Decode(Span<byte> destination)
    {
        if (_streamEnded || destination.IsEmpty)
        {
            return 0;
        }

        var stream = _decoder.Stream;
        fixed (byte* input = _inputBuffer)
        fixed (byte* output = destination)
        {
            stream->NextIn = input + _inputOffset;
            stream->AvailIn = (nuint)(_inputCount - _inputOffset);
            stream->NextOut = output;
            stream->AvailOut = (nuint)destination.Length;
            var ret = _lzma.Code(stream, _inputEnded ? LzmaConstants.ActionFinish : LzmaConstants.ActionRun);
            _inputOffset = _inputCount - (int)stream->AvailIn;
            var produced = destination.Length - (int)stream->AvailOut;
            stream->NextIn = null;
            stream->NextOut = null;
            ThrowIfCorrupt(ret, stream->TotalIn);
            _streamEnded = ret == LzmaConstants.StreamEnd;
            return produced;
        }
    }

    private static void ThrowIfCorrupt(int ret, ulong compressedOffset)
    {
        if (ret is not LzmaConstants.Ok and not LzmaConstants.StreamEnd)
        {
            throw new AutoGlacierException(
                $"The lzma (.xz) compressed data is corrupt at compressed byte {compressedOffset}: "
                + $"{LzmaConstants.Describe(ret)}. The archive is damaged or was not written by AutoGlacier.");
        }
    }
}
