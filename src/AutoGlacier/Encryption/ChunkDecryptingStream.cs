using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>
/// Read-only stream over a container's chunks (the header already read). Each chunk is authenticated before any of
/// its plaintext is returned. The last chunk is recognised by the end of the input: the reader asks for one byte more
/// than a full chunk, and a chunk followed by nothing must carry the last-chunk flag. So truncation at a chunk
/// boundary, a cut inside a chunk, reordering and appended data all fail authentication.
/// </summary>
internal sealed class ChunkDecryptingStream : Stream
{
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly ContainerHeader _header;
    private readonly AesGcm _aes;
    private readonly byte[] _sealed;
    private readonly byte[] _plain;
    private readonly byte[] _nonce = new byte[ContainerFormat.NonceSize];
    private readonly ChunkFailureExplainer _explainer;
    private int _plainStart;
    private int _plainEnd;
    private long _chunkIndex;
    private bool _hasCarriedByte;
    private byte _carriedByte;
    private bool _sawLastChunk;
    private bool _disposed;

    public ChunkDecryptingStream(Stream input, bool leaveOpen, ContainerHeader header, ReadOnlySpan<byte> contentKey)
    {
        _input = input;
        _leaveOpen = leaveOpen;
        _header = header;
        _aes = new AesGcm(contentKey, ContainerFormat.TagSize);
        // One full sealed chunk plus one look-ahead byte that tells whether more follows.
        _sealed = new byte[header.ChunkSize + ContainerFormat.TagSize + 1];
        _plain = new byte[header.ChunkSize];
        _explainer = new ChunkFailureExplainer(header);
    }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_plainStart == _plainEnd && !_sawLastChunk && !buffer.IsEmpty)
        {
            OpenChunk(FillSealed());
        }
        return CopyPlain(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_plainStart == _plainEnd && !_sawLastChunk && !buffer.IsEmpty)
        {
            OpenChunk(await FillSealedAsync(cancellationToken).ConfigureAwait(false));
        }
        return CopyPlain(buffer.Span);
    }

    public override void Flush() { }
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_plain);
            _aes.Dispose();
            if (!_leaveOpen)
            {
                _input.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private int CopyPlain(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, count).CopyTo(buffer);
        _plainStart += count;
        return count;
    }

    /// <summary>Reads up to a full sealed chunk plus one byte; returns how many bytes <see cref="_sealed"/> holds.</summary>
    private int FillSealed()
    {
        var start = RestoreCarriedByte();
        return start + _input.ReadAtLeast(_sealed.AsSpan(start), _sealed.Length - start, throwOnEndOfStream: false);
    }

    private async ValueTask<int> FillSealedAsync(CancellationToken cancellationToken)
    {
        var start = RestoreCarriedByte();
        return start + await _input.ReadAtLeastAsync(_sealed.AsMemory(start), _sealed.Length - start, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
    }

    private int RestoreCarriedByte()
    {
        if (!_hasCarriedByte)
        {
            return 0;
        }
        _sealed[0] = _carriedByte;
        _hasCarriedByte = false;
        return 1;
    }

    /// <summary>Authenticates and decrypts the chunk in <see cref="_sealed"/>, making its plaintext readable.</summary>
    private void OpenChunk(int available)
    {
        var isLast = available < _sealed.Length;
        var sealedLength = isLast ? available : available - 1;
        if (!isLast)
        {
            _carriedByte = _sealed[available - 1];
            _hasCarriedByte = true;
        }
        if (sealedLength < ContainerFormat.TagSize)
        {
            throw _explainer.TooShort(_chunkIndex, sealedLength);
        }

        var plainLength = sealedLength - ContainerFormat.TagSize;
        var ciphertext = _sealed.AsSpan(0, plainLength);
        var tag = _sealed.AsSpan(plainLength, ContainerFormat.TagSize);
        if (!TryDecrypt(ciphertext, tag, isLast))
        {
            var explanation = ExplainFailure(ciphertext, tag, isLast);
            CryptographicOperations.ZeroMemory(_plain);
            throw explanation;
        }
        if (isLast && plainLength == 0 && _chunkIndex > 0)
        {
            throw _explainer.EmptyFinalChunk(_chunkIndex);
        }

        _plainStart = 0;
        _plainEnd = plainLength;
        _sawLastChunk = isLast;
        _chunkIndex++;
    }

    private bool TryDecrypt(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, bool isLast)
    {
        ContainerFormat.WriteNonce(_nonce, _chunkIndex, isLast);
        try
        {
            _aes.Decrypt(_nonce, ciphertext, tag, _plain.AsSpan(0, ciphertext.Length), _header.AssociatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>
    /// A chunk that opens with the other last-chunk flag is intact but in the wrong place in the stream: that tells a
    /// cut at a chunk boundary or appended data apart from modified bytes. The trial plaintext is never released.
    /// </summary>
    private ArchiveIntegrityException ExplainFailure(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, bool isLast)
    {
        var isFullChunk = ciphertext.Length == _header.ChunkSize;
        if (isFullChunk && TryDecrypt(ciphertext, tag, !isLast))
        {
            return isLast ? _explainer.CutAtChunkBoundary(_chunkIndex) : _explainer.DataAfterLastChunk(_chunkIndex);
        }
        return _explainer.AuthenticationFailed(_chunkIndex, isLast);
    }
}
