using System.Security.Cryptography;
using AutoGlacier.Gathering;

namespace AutoGlacier.Archive.Tar;

/// <summary>
/// Feeds one file's bytes to the tar writer exactly once, hashing them with SHA-256 as they pass, so the hash in the
/// log is of the very bytes stored. It always yields exactly the length declared in the tar header: a file that
/// grows while read is cut at that length and one that shrinks is padded with zeros — either way the tar stays
/// valid and the caller marks the file as changed while read.
/// </summary>
internal sealed class StoredContentStream(SourceFile file, long declaredLength, Action<int>? onBytes) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    /// <summary>True when the file ended before the declared length (the tail was padded with zeros).</summary>
    public bool EndedEarly { get; private set; }

    /// <summary>
    /// The read error that ended the file early, if any. A failing disk must not abort the whole backup or break the
    /// tar: the rest of the entry is zeros and the file is flagged.
    /// </summary>
    public string? ReadError { get; private set; }

    /// <summary>Lowercase hex SHA-256 of the bytes yielded so far (call once, after the entry is written).</summary>
    public string HashHex() => Convert.ToHexStringLower(_sha256.GetHashAndReset());

    public override bool CanRead => true;
    // TarWriter takes the entry size from Length when the stream can seek; it never actually seeks.
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => declaredLength;
    public override long Position { get => _position; set => Seek(value, SeekOrigin.Begin); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, declaredLength - _position);
        if (wanted <= 0) { return 0; }
        var got = EndedEarly ? 0 : ReadFile(buffer[..wanted]);
        if (got == 0) { got = PadWithZeros(buffer[..wanted]); }
        return Account(buffer[..got]);
    }

    /// <summary>
    /// Reads synchronously on purpose. On Unix .NET runs each async read of a file opened without
    /// <see cref="FileOptions.Asynchronous"/> as a thread-pool work item: per read, a hop to a pool thread and back,
    /// and idle pool threads spinning in sched_yield (~196,000 calls backing up 15,443 real files). A local file's
    /// read blocks about as long as the hop took.
    /// </summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int ReadFile(Span<byte> buffer)
    {
        try
        {
            return file.Read(buffer);
        }
        catch (IOException ex)
        {
            ReadError = $"read failed at byte {_position}: {ex.Message}";
            return 0;
        }
    }

    private int PadWithZeros(Span<byte> buffer)
    {
        EndedEarly = true;
        buffer.Clear();
        return buffer.Length;
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _position += data.Length;
        onBytes?.Invoke(data.Length);
        return data.Length;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => declaredLength + offset,
        };
        if (target != _position) { throw new NotSupportedException("File content is streamed once; it cannot seek."); }
        return _position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _sha256.Dispose(); }
        base.Dispose(disposing);
    }
}
