using System.Security.Cryptography;

namespace AutoGlacier.Hashing;

/// <summary>
/// Folds a sequence of 32-byte hashes into one Glacier tree hash with O(log n) state.
/// </summary>
/// <remarks>
/// Eager merging works like a binary counter: two subtrees of equal height are always merged, so the stack holds
/// subtrees of strictly decreasing height (at most 64). Folding what is left from the right then produces exactly
/// the tree of the level-by-level definition, where an odd node is carried up unchanged: the carried node is the
/// rightmost one of its level, and the right-to-left fold hashes it in only once it meets a left sibling.
/// The tests check this against the literal definition for every leaf count 1..70 and random larger ones.
/// </remarks>
internal sealed class HashTreeFolder
{
    private const int HashSize = 32;
    private const int MaxDepth = 64;

    private readonly byte[] _stack = new byte[MaxDepth * HashSize];
    private readonly int[] _heights = new int[MaxDepth];
    private int _count;

    /// <summary>Number of hashes pushed.</summary>
    public long Count { get; private set; }

    /// <summary>Adds the next hash (a leaf, or a part's tree hash when combining).</summary>
    public void Push(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != HashSize)
        {
            throw new ArgumentException($"A tree-hash node is {HashSize} bytes, not {hash.Length}.", nameof(hash));
        }

        hash.CopyTo(Slot(_count));
        _heights[_count] = 0;
        _count++;
        Count++;
        Span<byte> merged = stackalloc byte[HashSize];
        while (_count >= 2 && _heights[_count - 1] == _heights[_count - 2])
        {
            // The two top slots are adjacent in _stack, so their concatenation is one contiguous span.
            SHA256.HashData(_stack.AsSpan((_count - 2) * HashSize, 2 * HashSize), merged);
            merged.CopyTo(Slot(_count - 2));
            _heights[_count - 2]++;
            _count--;
        }
    }

    /// <summary>Writes the root of everything pushed, without changing the state.</summary>
    public void Fold(Span<byte> destination)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("No hashes were pushed, so there is no tree to fold.");
        }

        FoldOnto(Slot(_count - 1), _count - 2, destination);
    }

    /// <summary>Writes the root as if <paramref name="trailing"/> had been pushed last, without changing the state.</summary>
    public void FoldWith(ReadOnlySpan<byte> trailing, Span<byte> destination)
    {
        if (trailing.Length != HashSize)
        {
            throw new ArgumentException($"A tree-hash node is {HashSize} bytes, not {trailing.Length}.", nameof(trailing));
        }

        // Pushing would only merge eagerly what the right-to-left fold merges anyway, in the same order.
        FoldOnto(trailing, _count - 1, destination);
    }

    private void FoldOnto(ReadOnlySpan<byte> rightmost, int fromSlot, Span<byte> destination)
    {
        // pair = left sibling || accumulated right subtree; hashed into a separate buffer to never overlap spans.
        Span<byte> pair = stackalloc byte[2 * HashSize];
        Span<byte> acc = pair[HashSize..];
        Span<byte> parent = stackalloc byte[HashSize];
        rightmost.CopyTo(acc);
        for (int i = fromSlot; i >= 0; i--)
        {
            Slot(i).CopyTo(pair[..HashSize]);
            SHA256.HashData(pair, parent);
            parent.CopyTo(acc);
        }

        acc.CopyTo(destination);
    }

    private Span<byte> Slot(int index) => _stack.AsSpan(index * HashSize, HashSize);
}
