using System.Security.Cryptography;
using AutoGlacier.Hashing;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>A part's SHA-256 (for x-amz-content-sha256) and tree hash, computed together in one pass over its bytes.</summary>
internal sealed record PartHashes(string Sha256, byte[] TreeHash)
{
    public string TreeHashHex => Convert.ToHexStringLower(TreeHash);

    public static PartHashes Compute(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var tree = new TreeHash();

        // Leaf by leaf, each 1 MiB slice feeds both hashes while it is still in cache.
        for (int offset = 0; offset < data.Length; offset += Hashing.TreeHash.LeafSize)
        {
            ReadOnlySpan<byte> leaf = data.Slice(offset, Math.Min(Hashing.TreeHash.LeafSize, data.Length - offset));
            sha.AppendData(leaf);
            tree.Append(leaf);
        }

        return new PartHashes(Convert.ToHexStringLower(sha.GetHashAndReset()), tree.Finish());
    }
}
