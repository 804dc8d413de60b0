using System.Security.Cryptography;

namespace AutoGlacier.Tests.Hashing;

/// <summary>
/// The tree hash written the slow, obvious way from Amazon's description, to check the O(log n) fold against.
/// </summary>
internal static class TreeHashReference
{
    public const int MiB = 1 << 20;

    /// <summary>Level by level: pair neighbours, carry an odd last one up unchanged, repeat until one is left.</summary>
    public static byte[] FoldLevels(IReadOnlyList<byte[]> nodes)
    {
        var level = nodes.ToList();
        while (level.Count > 1)
        {
            var next = new List<byte[]>();
            for (int i = 0; i < level.Count; i += 2)
            {
                next.Add(i + 1 < level.Count ? SHA256.HashData([.. level[i], .. level[i + 1]]) : level[i]);
            }

            level = next;
        }

        return level[0];
    }

    public static byte[] Compute(byte[] data)
    {
        if (data.Length == 0)
        {
            return SHA256.HashData(data);
        }

        var leaves = data.Chunk(MiB).Select(chunk => SHA256.HashData(chunk)).ToList();
        return FoldLevels(leaves);
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
