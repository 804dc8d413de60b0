namespace AutoGlacier.Hashing;

/// <summary>
/// Incremental Amazon Glacier SHA-256 tree hash: SHA-256 of each 1 MiB leaf, then pairwise SHA-256 of concatenated
/// hashes level by level (an odd one carried up). Empty input hashes to SHA-256 of nothing.
/// </summary>
public sealed class TreeHash
{
    /// <summary>Leaf size: 1 MiB.</summary>
    public const int LeafSize = 1 << 20;

    /// <summary>Feeds bytes.</summary>
    public void Append(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Returns the 32-byte tree hash of everything appended.</summary>
    public byte[] Finish() => throw new NotImplementedException();

    /// <summary>Combines already computed tree hashes of consecutive 1 MiB-aligned pieces into one.</summary>
    public static byte[] Combine(IReadOnlyList<byte[]> hashes) => throw new NotImplementedException();

    /// <summary>Tree hash of a whole stream read to its end.</summary>
    public static byte[] Compute(Stream stream) => throw new NotImplementedException();
}

/// <summary>
/// A pass-through stream (write or read) that counts bytes and computes SHA-256 and the tree hash of everything
/// that passes, so the archive is hashed as it streams, never read twice.
/// </summary>
public sealed class ArchiveHashingStream : Stream
{
    /// <summary>Wraps <paramref name="inner"/>; use it for writing or for reading, not both.</summary>
    public ArchiveHashingStream(Stream inner, bool leaveOpen) => throw new NotImplementedException();

    /// <summary>Bytes that passed.</summary>
    public long BytesHashed => throw new NotImplementedException();

    /// <summary>Finishes hashing and returns (lowercase hex SHA-256, lowercase hex tree hash).</summary>
    public (string Sha256, string TreeHash) GetHashes() => throw new NotImplementedException();

    /// <inheritdoc />
    public override bool CanRead => throw new NotImplementedException();
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => throw new NotImplementedException();
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override void Flush() => throw new NotImplementedException();
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotImplementedException();
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotImplementedException();
}
