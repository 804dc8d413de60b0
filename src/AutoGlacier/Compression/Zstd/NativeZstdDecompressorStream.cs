using AutoGlacier.Streams;

namespace AutoGlacier.Compression.Zstd;

/// <summary>
/// Read-only stream over libzstd's streaming decoder (<c>ZSTD_decompressStream</c>): any number of concatenated zstd
/// frames, decoded straight into the caller's buffer. Input that ends inside a frame, or is not zstd, is reported as
/// corrupt.
/// </summary>
internal sealed class NativeZstdDecompressorStream : ReadOnlyStream
{
    /// <summary>ZSTD_DStreamInSize() is ~128 KiB: one full compressed block per read of the layer below.</summary>
    private const int InputBufferSize = 128 * 1024;

    private readonly ZstdLibrary _zstd = ZstdLibrary.Instance;
    private readonly ZstdContextHandle _context = ZstdContextHandle.ForDecompression();
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly byte[] _inputBuffer = new byte[InputBufferSize];
    private int _inputOffset;
    private int _inputCount;
    private bool _inputEnded;

    /// <summary>True between frames (and before the first): where the input may legitimately end.</summary>
    private bool _atFrameBoundary = true;
    private bool _disposed;

    /// <summary>Creates a decoder reading compressed bytes from <paramref name="input"/>.</summary>
    public NativeZstdDecompressorStream(Stream input, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _leaveOpen = leaveOpen;
    }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            if (_inputOffset == _inputCount && !_inputEnded)
            {
                FillInput(_input.Read(_inputBuffer, 0, _inputBuffer.Length));
            }

            var produced = Decode(buffer);
            if (produced > 0 || _inputEnded)
            {
                return produced;
            }
        }

        return 0;
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            if (_inputOffset == _inputCount && !_inputEnded)
            {
                FillInput(await _input.ReadAsync(_inputBuffer, cancellationToken).ConfigureAwait(false));
            }

            var produced = Decode(buffer.Span);
            if (produced > 0 || _inputEnded)
            {
                return produced;
            }
        }

        return 0;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _context.Dispose();
            if (!_leaveOpen)
            {
                _input.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void FillInput(int count)
    {
        _inputOffset = 0;
        _inputCount = count;
        _inputEnded = count == 0;
    }

    /// <summary>One ZSTD_decompressStream call (or, at the end of the input, a check that no frame was left open).</summary>
    private unsafe int Decode(Span<byte> destination)
    {
        if (_inputEnded && _inputOffset == _inputCount)
        {
            // zstd may still hold decoded bytes of the last block; a call with no input flushes them.
            var flushed = DecodeCall(destination);
            if (flushed == 0 && !_atFrameBoundary)
            {
                throw Corrupt("the compressed data ends in the middle of a frame (truncated)");
            }

            return flushed;
        }

        return DecodeCall(destination);
    }

    private unsafe int DecodeCall(Span<byte> destination)
    {
        fixed (byte* source = _inputBuffer)
        fixed (byte* output = destination)
        {
            var inBuffer = new ZstdInBuffer { Source = source, Size = (nuint)_inputCount, Position = (nuint)_inputOffset };
            var outBuffer = new ZstdOutBuffer { Destination = output, Size = (nuint)destination.Length };
            var result = _zstd.DecompressStream(_context.Context, &outBuffer, &inBuffer);
            if (_zstd.IsError(result) != 0)
            {
                throw Corrupt(_zstd.ErrorName(result));
            }

            var progressed = (int)inBuffer.Position != _inputOffset || outBuffer.Position != 0;
            _inputOffset = (int)inBuffer.Position;
            if (progressed)
            {
                // 0 means a frame was fully decoded and flushed; anything else is a hint that more input is wanted.
                _atFrameBoundary = result == 0;
            }

            return (int)outBuffer.Position;
        }
    }

    private static AutoGlacierException Corrupt(string why) => new(
        $"The zstd compressed data is corrupt: {why}. The archive is damaged or was not written by AutoGlacier.");
}
