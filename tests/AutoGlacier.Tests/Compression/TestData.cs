using System.Text;

namespace AutoGlacier.Tests.Compression;

/// <summary>Deterministic inputs: text-like (compresses well), random (does not), and mixes of both.</summary>
internal static class TestData
{
    public static byte[] Text(int length, int seed = 1)
    {
        var random = new Random(seed);
        string[] words = ["backup", "glacier", "archive", "the", "of", "compress", "stream", "block", "tar", "vault", "\n"];
        var builder = new StringBuilder(length + 16);
        while (builder.Length < length)
        {
            builder.Append(words[random.Next(words.Length)]).Append(' ');
        }

        return Encoding.ASCII.GetBytes(builder.ToString(0, length));
    }

    public static byte[] Random(int length, int seed = 2)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Alternating text and random pieces of <paramref name="pieceSize"/>.</summary>
    public static byte[] Mixed(int length, int pieceSize, int seed = 3)
    {
        var result = new byte[length];
        for (int offset = 0, piece = 0; offset < length; offset += pieceSize, piece++)
        {
            var size = Math.Min(pieceSize, length - offset);
            var source = piece % 2 == 0 ? Text(size, seed + piece) : Random(size, seed + piece);
            source.CopyTo(result, offset);
        }

        return result;
    }
}
