using System.Security.Cryptography;

namespace AutoGlacier.Hashing;

/// <summary>
/// A pass-through stream (write or read) that counts bytes and computes SHA-256 and the tree hash of everything
/// that passes, so the archive is hashed as it streams, never read twice.
/// </summary>
/// <remarks>
/// Bytes are hashed only after the inner stream accepted (or produced) them, so a failed write is not counted.
/// The first read or write fixes the direction; mixing them throws. <see cref="GetHashes"/> stays valid after
/// disposal. Not thread-safe.
/// </remarks>
internal sealed class ArchiveHashingStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly TreeHash _treeHash = new();
    private bool? _writing;
    private (string Sha256, string TreeHash)? _finalHashes;

    /// <summary>Wraps <paramref name="inner"/>; use it for writing or for reading, not both.</summary>
    /// <param name="inner">The stream the bytes go to or come from.</param>
    /// <param name="leaveOpen">True to leave <paramref name="inner"/> open when this stream is disposed.</param>
    public ArchiveHashingStream(Stream inner, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes that passed.</summary>
    public long BytesHashed => _treeHash.Length;

    /// <summary>Returns (lowercase hex SHA-256, lowercase hex tree hash) of the bytes that passed so far.</summary>
    /// <summary>
    /// Reads every layer above this one to its end, outermost first (so each checks its own trailer: an
    /// authentication tag, a compression check), then this stream, and returns the stored archive's size, SHA-256
    /// and tree hash. Null layers were never opened.
    /// </summary>
    public async Task<(long Size, string Sha256, string TreeHash)> DrainAsync(IEnumerable<Stream?> layersAbove, CancellationToken cancellationToken)
    {
        foreach (var layer in layersAbove)
        {
            if (layer is not null) { await layer.CopyToAsync(Null, cancellationToken).ConfigureAwait(false); }
        }
        await CopyToAsync(Null, cancellationToken).ConfigureAwait(false);
        var (sha, tree) = GetHashes();
        return (BytesHashed, sha, tree);
    }
    /// <remarks>Does not end hashing while the stream is open; after disposal it returns the final values.</remarks>
    public (string Sha256, string TreeHash) GetHashes()
    {
        if (_finalHashes is { } final)
        {
            return final;
        }

        Span<byte> sha = stackalloc byte[TreeHash.HashSize];
        _sha256.GetCurrentHash(sha);
        return (Convert.ToHexStringLower(sha), Convert.ToHexStringLower(_treeHash.Finish()));
    }

    /// <inheritdoc />
    public override bool CanRead => _finalHashes is null && _writing != true && _inner.CanRead;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => _finalHashes is null && _writing != false && _inner.CanWrite;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override void Flush()
    {
        ThrowIfDisposed();
        _inner.Flush();
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _inner.FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        EnterDirection(writing: false);
        int read = _inner.Read(buffer);
        Hash(buffer[..read]);
        return read;
    }

    /// <inheritdoc />
    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnterDirection(writing: false);
        int read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Hash(buffer.Span[..read]);
        return read;
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnterDirection(writing: true);
        _inner.Write(buffer);
        Hash(buffer);
    }

    /// <inheritdoc />
    public override void WriteByte(byte value)
    {
        ReadOnlySpan<byte> one = [value];
        Write(one);
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnterDirection(writing: true);
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Hash(buffer.Span);
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && ReleaseHashers() && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (ReleaseHashers() && !_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        // Runs Dispose(true), which finds the hashers already released and leaves the inner stream alone.
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Keeps the final hashes and frees the hashers; true only on the first call.</summary>
    private bool ReleaseHashers()
    {
        if (_finalHashes is not null)
        {
            return false;
        }

        _finalHashes = GetHashes();
        _sha256.Dispose();
        _treeHash.Dispose();
        return true;
    }

    private void EnterDirection(bool writing)
    {
        ThrowIfDisposed();
        _writing ??= writing;
        if (_writing != writing)
        {
            throw new InvalidOperationException("An ArchiveHashingStream hashes one direction: it cannot be read after being written, or written after being read.");
        }
    }

    private void Hash(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _treeHash.Append(data);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_finalHashes is not null, this);
}
