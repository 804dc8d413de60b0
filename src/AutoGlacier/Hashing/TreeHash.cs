using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;

namespace AutoGlacier.Hashing;

/// <summary>
/// Incremental Amazon Glacier SHA-256 tree hash: SHA-256 of each 1 MiB leaf, then pairwise SHA-256 of concatenated
/// hashes level by level (an odd one carried up). Empty input hashes to SHA-256 of nothing.
/// </summary>
/// <remarks>
/// State is one SHA-256 for the current leaf plus O(log n) subtree hashes, so archives of any size hash in constant
/// memory. Not thread-safe.
/// </remarks>
internal sealed class TreeHash : IDisposable
{
    /// <summary>Leaf size: 1 MiB.</summary>
    public const int LeafSize = 1 << 20;

    /// <summary>Size of a SHA-256 (and tree) hash in bytes.</summary>
    public const int HashSize = 32;

    private readonly IncrementalHash _leaf = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly HashTreeFolder _tree = new();
    private int _leafFill;
    private bool _disposed;

    /// <summary>Number of bytes appended so far.</summary>
    public long Length { get; private set; }

    /// <summary>Feeds bytes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Length += data.Length;
        Span<byte> leafHash = stackalloc byte[HashSize];
        while (!data.IsEmpty)
        {
            if (_leafFill == 0 && data.Length >= LeafSize)
            {
                // Whole leaf available: one-shot hashing skips the incremental hasher's copying.
                SHA256.HashData(data[..LeafSize], leafHash);
                _tree.Push(leafHash);
                data = data[LeafSize..];
                continue;
            }

            int take = Math.Min(LeafSize - _leafFill, data.Length);
            _leaf.AppendData(data[..take]);
            _leafFill += take;
            data = data[take..];
            if (_leafFill == LeafSize)
            {
                _leaf.GetHashAndReset(leafHash);
                _tree.Push(leafHash);
                _leafFill = 0;
            }
        }
    }

    /// <summary>Returns the 32-byte tree hash of everything appended.</summary>
    /// <remarks>Does not change the state: more data may be appended and <see cref="Finish"/> called again.</remarks>
    public byte[] Finish()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new byte[HashSize];
        if (Length == 0)
        {
            SHA256.HashData(ReadOnlySpan<byte>.Empty, result);
        }
        else if (_leafFill > 0)
        {
            Span<byte> partialLeaf = stackalloc byte[HashSize];
            _leaf.GetCurrentHash(partialLeaf);
            _tree.FoldWith(partialLeaf, result);
        }
        else
        {
            _tree.Fold(result);
        }

        return result;
    }

    /// <summary>Combines already computed tree hashes of consecutive 1 MiB-aligned pieces into one.</summary>
    /// <remarks>
    /// Precondition (Glacier multipart rule): every piece but the last has the same size, a power-of-two multiple
    /// of <see cref="LeafSize"/> (1, 2, 4, … MiB), and the last piece is not larger. Then each piece is a complete,
    /// aligned subtree and the archive's tree hash is the tree hash over the piece hashes. Sizes are not known here,
    /// so only the hash count and lengths are checked; prefer <see cref="Combine(IReadOnlyList{byte[]}, long, long)"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The list is empty or a hash is not 32 bytes.</exception>
    public static byte[] Combine(IReadOnlyList<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0)
        {
            throw new ArgumentException("At least one part hash is needed to combine.", nameof(hashes));
        }

        var folder = new HashTreeFolder();
        for (int i = 0; i < hashes.Count; i++)
        {
            byte[]? hash = hashes[i];
            if (hash is null || hash.Length != HashSize)
            {
                throw new ArgumentException($"Part hash {i} is not a {HashSize}-byte SHA-256 tree hash.", nameof(hashes));
            }

            folder.Push(hash);
        }

        var result = new byte[HashSize];
        folder.Fold(result);
        return result;
    }

    /// <summary>
    /// Combines the tree hashes of the parts of a multipart upload of <paramref name="archiveSize"/> bytes cut into
    /// parts of <paramref name="partSize"/> bytes (the last part holds the rest), checking the Glacier preconditions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The part size is not a power-of-two multiple of 1 MiB, or the archive size is negative.</exception>
    /// <exception cref="ArgumentException">The number of hashes does not match the sizes, or a hash is not 32 bytes.</exception>
    public static byte[] Combine(IReadOnlyList<byte[]> hashes, long partSize, long archiveSize)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentOutOfRangeException.ThrowIfNegative(archiveSize);
        if (partSize < LeafSize || partSize % LeafSize != 0 || !BitOperations.IsPow2(partSize / LeafSize))
        {
            throw new ArgumentOutOfRangeException(nameof(partSize), partSize, "A part size must be 1 MiB times a power of two (1, 2, 4, … MiB).");
        }

        // An empty archive is still uploaded as one (empty) part.
        long expected = Math.Max(1, (archiveSize + partSize - 1) / partSize);
        if (hashes.Count != expected)
        {
            throw new ArgumentException($"An archive of {archiveSize} bytes in {partSize}-byte parts has {expected} parts, but {hashes.Count} part hashes were given.", nameof(hashes));
        }

        return Combine(hashes);
    }

    /// <summary>Tree hash of a whole stream read to its end.</summary>
    public static byte[] Compute(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var tree = new TreeHash();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(LeafSize);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, LeafSize)) > 0)
            {
                tree.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return tree.Finish();
    }

    /// <summary>Tree hash of a whole stream read asynchronously to its end.</summary>
    public static async Task<byte[]> ComputeAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var tree = new TreeHash();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(LeafSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, LeafSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                tree.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return tree.Finish();
    }

    /// <summary>Tree hash of bytes in memory.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> data)
    {
        using var tree = new TreeHash();
        tree.Append(data);
        return tree.Finish();
    }

    /// <summary>Releases the leaf hasher.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _leaf.Dispose();
        }
    }
}
