using AutoGlacier.Streams;

namespace AutoGlacier.Compression.Zstd;

/// <summary>
/// Write-only stream over libzstd's streaming compressor (<c>ZSTD_compressStream2</c>). With more than one thread,
/// libzstd's own workers compress independent jobs of the input in parallel while the caller keeps writing; the output
/// is one standard frame, so <c>zstd -d</c> reads it. Dispose ends the frame.
/// </summary>
internal sealed class NativeZstdCompressorStream : FinishingWriteStream
{
    /// <summary>ZSTD_CStreamOutSize() is ~128 KiB; a little more means fewer writes to the encryptor below.</summary>
    private const int OutputBufferSize = 256 * 1024;

    private readonly ZstdLibrary _zstd = ZstdLibrary.Instance;
    private readonly ZstdContextHandle _context = ZstdContextHandle.ForCompression();
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly byte[] _outputBuffer = new byte[OutputBufferSize];

    /// <summary>
    /// Creates a compressor writing one zstd frame of <paramref name="level"/> (1–19) into <paramref name="output"/>
    /// (closed on dispose unless <paramref name="leaveOpen"/>). <paramref name="threads"/> 1 compresses on the writing
    /// thread; more starts that many libzstd workers.
    /// </summary>
    public NativeZstdCompressorStream(Stream output, bool leaveOpen, int level, int threads)
        : base("zstd compressor")
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _leaveOpen = leaveOpen;
        try
        {
            SetParameter(ZstdConstants.CompressionLevel, level);
            // zstd's worker count excludes the caller: 0 means "compress on the writing thread", which is what 1 thread means.
            SetParameter(ZstdConstants.WorkerCount, threads > 1 ? threads : 0);
        }
        catch
        {
            _context.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override void WriteCore(ReadOnlySpan<byte> buffer)
    {
        var consumed = 0;
        while (consumed < buffer.Length)
        {
            var produced = Compress(buffer, ref consumed, ZstdConstants.EndContinue, out _);
            _output.Write(_outputBuffer, 0, produced);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        var consumed = 0;
        while (consumed < buffer.Length)
        {
            var produced = Compress(buffer.Span, ref consumed, ZstdConstants.EndContinue, out _);
            await _output.WriteAsync(_outputBuffer.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pushes out everything written so far as complete zstd blocks (the frame goes on), then flushes the output.</summary>
    protected override void FlushCore()
    {
        Drain(ZstdConstants.EndFlush);
        _output.Flush();
    }

    /// <inheritdoc />
    protected override async Task FlushCoreAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(ZstdConstants.EndFlush, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the frame.</summary>
    protected override void FinishCore() => Drain(ZstdConstants.EndFrame);

    /// <inheritdoc />
    protected override Task FinishCoreAsync() => DrainAsync(ZstdConstants.EndFrame, CancellationToken.None);

    /// <inheritdoc />
    protected override void ReleaseResources()
    {
        _context.Dispose();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    /// <summary>Calls zstd with <paramref name="directive"/> and writes its output until it says nothing is left.</summary>
    private void Drain(int directive)
    {
        var none = 0;
        nuint remaining;
        do
        {
            var produced = Compress([], ref none, directive, out remaining);
            _output.Write(_outputBuffer, 0, produced);
        }
        while (remaining != 0);
    }

    private async Task DrainAsync(int directive, CancellationToken cancellationToken)
    {
        var none = 0;
        nuint remaining;
        do
        {
            var produced = Compress([], ref none, directive, out remaining);
            await _output.WriteAsync(_outputBuffer.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
        }
        while (remaining != 0);
    }

    /// <summary>
    /// One ZSTD_compressStream2 call: takes what it can of <paramref name="input"/> from <paramref name="consumed"/> on,
    /// returns how many bytes it put into the output buffer; <paramref name="remaining"/> is zstd's "bytes left to flush".
    /// </summary>
    private unsafe int Compress(ReadOnlySpan<byte> input, ref int consumed, int directive, out nuint remaining)
    {
        fixed (byte* source = input)
        fixed (byte* destination = _outputBuffer)
        {
            var inBuffer = new ZstdInBuffer { Source = source, Size = (nuint)input.Length, Position = (nuint)consumed };
            var outBuffer = new ZstdOutBuffer { Destination = destination, Size = (nuint)_outputBuffer.Length };
            remaining = Check(_zstd.CompressStream2(_context.Context, &outBuffer, &inBuffer, directive));
            consumed = (int)inBuffer.Position;
            return (int)outBuffer.Position;
        }
    }

    private unsafe void SetParameter(int parameter, int value) => Check(_zstd.CCtxSetParameter(_context.Context, parameter, value));

    private unsafe nuint Check(nuint result) => _zstd.IsError(result) == 0
        ? result
        : throw new AutoGlacierException($"zstd compression failed: {_zstd.ErrorName(result)}.");
}
