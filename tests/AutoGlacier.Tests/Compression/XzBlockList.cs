namespace AutoGlacier.Tests.Compression;

/// <summary>The blocks of a .xz file as stock <c>xz --robot -lvv</c> lists them (header flags, sizes, filter chain).</summary>
internal static class XzBlockList
{
    /// <summary>One block of stream number <paramref name="Stream"/> (from 1): <paramref name="HeaderFlags"/> holds 'c' / 'u' when the header records Compressed / Uncompressed Size.</summary>
    public sealed record Block(int Stream, string HeaderFlags, long CompressedSize, long UncompressedSize, string Filters);

    public static IReadOnlyList<Block> Read(byte[] xz)
    {
        var path = Path.Combine(Path.GetTempPath(), $"agtest-{Guid.NewGuid():N}.xz");
        File.WriteAllBytes(path, xz);
        try
        {
            var result = ExternalTool.Run("xz", $"--robot -lvv {path}", []);
            Assert.True(result.ExitCode == 0, $"xz -lvv failed ({result.ExitCode}): {result.Stderr}");
            // Robot format, -vv block lines: "block", stream number, block number in the stream, block number in the
            // file, compressed offset, uncompressed offset, total size, uncompressed size, ratio, check, check value,
            // header size, header flags, compressed size, memory usage, filter chain.
            return System.Text.Encoding.UTF8.GetString(result.Stdout).Split('\n')
                .Select(line => line.Split('\t'))
                .Where(fields => fields[0] == "block")
                .Select(fields => new Block(int.Parse(fields[1]), fields[12], long.Parse(fields[13]), long.Parse(fields[7]), fields[15]))
                .ToList();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
