using AutoGlacier.Streams;
using SharpCompress.Compressors.LZMA;
using SharpCompress.Crypto;

namespace AutoGlacier.Compression.Lzma.Managed;

/// <summary>
/// Reads an .lz file of one or more members (what <see cref="LzipCompressorStream"/> writes, or <c>lzip</c>/<c>xz
/// --format=lzip</c> output) with SharpCompress's LZMA decoder, checking every member's CRC32 and sizes.
/// </summary>
internal sealed class LzipDecompressorStream : ReadOnlyStream
{
    private const byte LzipProperties = (2 * 5 + 0) * 9 + 3; // pb=2, lp=0, lc=3: the only ones lzip allows.

    private readonly CountedInput _input;
    private LzmaStream? _member;
    private long _memberStart;
    private uint _crcState;
    private long _memberDataSize;
    private bool _anyMember;
    private bool _ended;
    private bool _disposed;

    /// <summary>Creates a decoder reading from <paramref name="input"/>.</summary>
    public LzipDecompressorStream(Stream input, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = new CountedInput(input, ownsInner: !leaveOpen);
    }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        try
        {
            while (!_ended)
            {
                if (_member is null && !StartMember())
                {
                    _ended = true;
                    break;
                }

                var n = _member!.Read(buffer);
                if (n > 0)
                {
                    _crcState = ~Crc32Stream.Compute(Crc32Stream.DEFAULT_POLYNOMIAL, _crcState, buffer[..n]);
                    _memberDataSize += n;
                    return n;
                }

                EndMember();
            }

            return 0;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ObjectDisposedException or AutoGlacierException))
        {
            throw new AutoGlacierException(
                $"The lzma (.lz) compressed data is corrupt: {ex.Message}. The archive is damaged or was not written by AutoGlacier.", ex);
        }
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // CPU-bound decoding over an in-memory buffer: there is nothing to await that would free the thread for long.
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _member?.Dispose();
            _input.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads the next member's header; false at the end of the file (after at least one member).</summary>
    private bool StartMember()
    {
        Span<byte> header = stackalloc byte[LzipFormat.HeaderSize];
        _memberStart = _input.Consumed;
        var got = _input.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got == 0 && _anyMember)
        {
            return false;
        }

        if (got < header.Length)
        {
            throw new InvalidDataException(got == 0 ? "the .lz data is empty" : "the .lz data ends inside a member header");
        }

        var dictionary = LzipFormat.ReadHeader(header);
        byte[] properties = [LzipProperties, (byte)dictionary, (byte)(dictionary >> 8), (byte)(dictionary >> 16), (byte)(dictionary >> 24)];
        _member = LzmaStream.Create(properties, _input, -1, -1, leaveOpen: true);
        _crcState = Crc32Stream.DEFAULT_SEED;
        _memberDataSize = 0;
        _anyMember = true;
        return true;
    }

    private void EndMember()
    {
        var lzmaDataSize = _input.Consumed - _memberStart - LzipFormat.HeaderSize;
        _member!.Dispose();
        _member = null;
        Span<byte> trailer = stackalloc byte[LzipFormat.TrailerSize];
        if (_input.ReadAtLeast(trailer, trailer.Length, throwOnEndOfStream: false) < trailer.Length)
        {
            throw new InvalidDataException("the .lz data ends inside a member (truncated)");
        }

        LzipFormat.CheckTrailer(trailer, ~_crcState, _memberDataSize, lzmaDataSize);
    }
}
