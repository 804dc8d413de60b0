using System.Security.Cryptography;
using AutoGlacier.Hashing;
using static AutoGlacier.Tests.Hashing.TreeHashReference;

namespace AutoGlacier.Tests.Hashing;

public class TreeHashTests
{
    public static TheoryData<int> GlacierSizes => new()
    {
        0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5, 2 * MiB, 4 * MiB, 5 * MiB, 7 * MiB + 1,
    };

    [BotocoreTheory]
    [MemberData(nameof(GlacierSizes))]
    public void Matches_botocore_calculate_tree_hash(int size)
    {
        if (Botocore.WhyUnavailable is { } reason)
        {
            Assert.Fail($"CI=true but the independent implementation is missing: {reason}");
        }

        byte[] data = RandomBytes(size, seed: size);
        string path = Path.Combine(Path.GetTempPath(), $"treehash-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, data);
            Assert.Equal(Botocore.TreeHashOfFile(path), Convert.ToHexStringLower(TreeHash.Compute(data)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(GlacierSizes))]
    public void Matches_the_level_by_level_definition(int size)
    {
        byte[] data = RandomBytes(size, seed: size);
        Assert.Equal(Compute(data), TreeHash.Compute(data));
    }

    [Fact]
    public void Empty_input_is_sha256_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(TreeHash.Compute([])));
    }

    [Theory]
    [InlineData(1, 2 * MiB + 5)]
    [InlineData(7, 3 * MiB + 5)]
    [InlineData(MiB + 3, 5 * MiB + 3)]
    [InlineData(MiB - 1, 3 * MiB)]
    public void Incremental_appends_in_odd_chunks_equal_one_shot(int chunk, int size)
    {
        byte[] data = RandomBytes(size, seed: chunk);
        using var tree = new TreeHash();
        for (int offset = 0; offset < size; offset += chunk)
        {
            tree.Append(data.AsSpan(offset, Math.Min(chunk, size - offset)));
        }

        Assert.Equal(size, tree.Length);
        Assert.Equal(TreeHash.Compute(data), tree.Finish());
    }

    [Fact]
    public void Finish_does_not_end_hashing()
    {
        byte[] data = RandomBytes(2 * MiB + 9, seed: 3);
        using var tree = new TreeHash();
        tree.Append(data.AsSpan(0, MiB + 1));
        Assert.Equal(TreeHash.Compute(data.AsSpan(0, MiB + 1)), tree.Finish());
        tree.Append(data.AsSpan(MiB + 1));
        Assert.Equal(TreeHash.Compute(data), tree.Finish());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Combine_of_part_hashes_equals_whole_archive_hash(int partMiB)
    {
        int partSize = partMiB * MiB;
        foreach (int size in new[] { 1, partSize, 8 * MiB, 9 * MiB + 123 })
        {
            byte[] data = RandomBytes(size, seed: size + partMiB);
            var parts = data.Chunk(partSize).Select(part => TreeHash.Compute(part)).ToList();
            byte[] expected = TreeHash.Compute(data);
            Assert.Equal(expected, TreeHash.Combine(parts));
            Assert.Equal(expected, TreeHash.Combine(parts, partSize, size));
        }
    }

    [Fact]
    public void Combine_rejects_what_cannot_be_a_multipart_upload()
    {
        var oneHash = new List<byte[]> { new byte[32] };
        Assert.Throws<ArgumentException>(() => TreeHash.Combine([]));
        Assert.Throws<ArgumentException>(() => TreeHash.Combine([new byte[31]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TreeHash.Combine(oneHash, 3 * MiB, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TreeHash.Combine(oneHash, MiB / 2, 1));
        Assert.Throws<ArgumentException>(() => TreeHash.Combine(oneHash, MiB, MiB + 1));
        Assert.Equal(oneHash[0], TreeHash.Combine(oneHash, MiB, 0));
    }

    [Fact]
    public async Task Compute_from_a_stream_sync_and_async_agree_with_span()
    {
        byte[] data = RandomBytes(3 * MiB + 5, seed: 11);
        byte[] expected = TreeHash.Compute(data.AsSpan());
        Assert.Equal(expected, TreeHash.Compute(new MemoryStream(data)));
        Assert.Equal(expected, await TreeHash.ComputeAsync(new MemoryStream(data), CancellationToken.None));
    }

    [Fact]
    public void Disposed_tree_hash_refuses_use()
    {
        var tree = new TreeHash();
        tree.Dispose();
        Assert.Throws<ObjectDisposedException>(() => tree.Append([1]));
        Assert.Throws<ObjectDisposedException>(() => tree.Finish());
    }

    [Fact]
    public void Leaf_hash_is_plain_sha256_for_one_leaf()
    {
        byte[] data = RandomBytes(MiB, seed: 5);
        Assert.Equal(SHA256.HashData(data), TreeHash.Compute(data));
    }
}
