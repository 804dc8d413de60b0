using System.Security.Cryptography;
using AutoGlacier.Hashing;
using CsCheck;
using static AutoGlacier.Tests.Hashing.TreeHashReference;

namespace AutoGlacier.Tests.Hashing;

/// <summary>The stack fold must equal the level-by-level definition, odd-carry rule included.</summary>
public class HashTreeFolderTests
{
    [Fact]
    public void Fold_equals_level_by_level_for_every_leaf_count_1_to_70()
    {
        for (int count = 1; count <= 70; count++)
        {
            var leaves = Enumerable.Range(0, count).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToList();
            var folder = new HashTreeFolder();
            leaves.ForEach(leaf => folder.Push(leaf));
            var root = new byte[32];
            folder.Fold(root);
            Assert.True(FoldLevels(leaves).AsSpan().SequenceEqual(root), $"leaf count {count}");

            // FoldWith must behave as one more push, without changing the state.
            var extra = SHA256.HashData(BitConverter.GetBytes(-count));
            folder.FoldWith(extra, root);
            Assert.True(FoldLevels([.. leaves, extra]).AsSpan().SequenceEqual(root), $"leaf count {count} + 1");
            Assert.Equal(count, folder.Count);
        }
    }

    [Fact]
    public void Incremental_tree_hash_equals_reference_for_random_sizes_and_chunking()
    {
        // Chunks of a few bytes are covered by TreeHashTests; here they would only make the run slow.
        var gen = Gen.Select(Gen.Int[0, 6 * MiB + 7], Gen.Int[512, 3 * MiB], Gen.Int);
        gen.Sample((size, chunk, seed) =>
        {
            byte[] data = RandomBytes(size, seed);
            using var tree = new TreeHash();
            for (int offset = 0; offset < size; offset += chunk)
            {
                tree.Append(data.AsSpan(offset, Math.Min(chunk, size - offset)));
            }

            Assert.Equal(Compute(data), tree.Finish());
        }, iter: 20, threads: 1);
    }

    [Fact]
    public void Push_rejects_a_hash_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => new HashTreeFolder().Push(new byte[33]));
        Assert.Throws<InvalidOperationException>(() => new HashTreeFolder().Fold(new byte[32]));
    }
}
