using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>
/// Write-only stream producing a container: the header, then AES-256-GCM chunks of exactly chunk-size plaintext
/// bytes, the last one flagged in its nonce. A full chunk is held back until more data arrives, because only then is
/// it known not to be the last; so at most one chunk is ever buffered. Dispose seals the last chunk.
/// </summary>
internal sealed class ChunkEncryptingStream : Stream
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly ContainerHeader _header;
    private readonly AesGcm _aes;
    private readonly byte[] _plain;
    private readonly byte[] _sealed;
    private readonly byte[] _nonce = new byte[ContainerFormat.NonceSize];
    private int _filled;
    private long _chunkIndex;
    private State _state;

    /// <summary>
    /// One sticky state, as age's stream keeps one sticky error: once the stream is not <see cref="State.Open"/> it never
    /// writes again. After a failed write the output holds an unknown prefix; sealing a last chunk then (or writing
    /// more after the gap) could make a container that authenticates yet lacks data.
    /// </summary>
    private enum State
    {
        /// <summary>Accepting data (the header goes out with the first sealed chunk).</summary>
        Open,
        /// <summary>The last chunk is sealed, or the stream disposed.</summary>
        Closed,
        /// <summary>A write to the output failed.</summary>
        Broken,
    }

    public ChunkEncryptingStream(Stream output, bool leaveOpen, ContainerHeader header, ReadOnlySpan<byte> contentKey)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        _header = header;
        _aes = new AesGcm(contentKey, ContainerFormat.TagSize);
        _plain = new byte[header.ChunkSize];
        _sealed = new byte[header.ChunkSize + ContainerFormat.TagSize];
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => _state == State.Open;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotOpen();
        while (!buffer.IsEmpty)
        {
            if (_filled == _plain.Length)
            {
                WriteSealed(isLast: false);
            }
            buffer = buffer[Append(buffer)..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotOpen();
        while (!buffer.IsEmpty)
        {
            if (_filled == _plain.Length)
            {
                await WriteSealedAsync(isLast: false, cancellationToken).ConfigureAwait(false);
            }
            buffer = buffer[Append(buffer.Span)..];
        }
    }

    /// <summary>Flushes what is sealed; the buffered chunk stays, since only the last chunk may be short.</summary>
    public override void Flush() => _output.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && _state == State.Open)
            {
                WriteSealed(isLast: true);
                _output.Flush();
            }
        }
        finally
        {
            Release(disposing);
            if (disposing && !_leaveOpen)
            {
                _output.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Seals the last chunk asynchronously; the base then calls Dispose(true), which finds nothing left to write.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_state == State.Open)
        {
            await WriteSealedAsync(isLast: true, CancellationToken.None).ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfNotOpen()
    {
        ObjectDisposedException.ThrowIf(_state == State.Closed, this);
        if (_state == State.Broken)
        {
            throw new IOException("An earlier write of the encrypted archive failed; nothing more can be written to it.");
        }
    }

    private int Append(ReadOnlySpan<byte> data)
    {
        var count = Math.Min(data.Length, _plain.Length - _filled);
        data[..count].CopyTo(_plain.AsSpan(_filled));
        _filled += count;
        return count;
    }

    private void WriteSealed(bool isLast)
    {
        try
        {
            _output.Write(TakePendingHeader().Span);
            _output.Write(SealChunk(isLast).Span);
        }
        catch
        {
            _state = State.Broken;
            throw;
        }
    }

    private async ValueTask WriteSealedAsync(bool isLast, CancellationToken cancellationToken)
    {
        try
        {
            await _output.WriteAsync(TakePendingHeader(), cancellationToken).ConfigureAwait(false);
            await _output.WriteAsync(SealChunk(isLast), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _state = State.Broken;
            throw;
        }
    }

    /// <summary>
    /// The header before the first chunk, then nothing (a failure on the way leaves the stream broken, so it is never
    /// asked twice). Written lazily so the async path never blocks on it.
    /// </summary>
    private ReadOnlyMemory<byte> TakePendingHeader() => _chunkIndex == 0 ? _header.Bytes : ReadOnlyMemory<byte>.Empty;

    /// <summary>Seals the buffered plaintext as the next chunk: ciphertext then 16-byte tag.</summary>
    private ReadOnlyMemory<byte> SealChunk(bool isLast)
    {
        ContainerFormat.WriteNonce(_nonce, _chunkIndex, isLast);
        var ciphertext = _sealed.AsSpan(0, _filled);
        var tag = _sealed.AsSpan(_filled, ContainerFormat.TagSize);
        _aes.Encrypt(_nonce, _plain.AsSpan(0, _filled), ciphertext, tag, _header.AssociatedData);
        var length = _filled + ContainerFormat.TagSize;
        _filled = 0;
        _chunkIndex++;
        _state = isLast ? State.Closed : _state;
        return _sealed.AsMemory(0, length);
    }

    private void Release(bool disposing)
    {
        _state = State.Closed;
        CryptographicOperations.ZeroMemory(_plain);
        if (disposing)
        {
            _aes.Dispose();
        }
    }
}
