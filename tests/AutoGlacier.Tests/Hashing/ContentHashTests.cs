using System.Security.Cryptography;
using AutoGlacier.Hashing;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Hashing;

/// <summary>Content change detection hashes a file as the tar writer reads it: regular files only, links not followed.</summary>
public class ContentHashTests
{
    [Fact]
    public async Task A_regular_file_hashes_to_the_SHA256_of_its_bytes()
    {
        using var dir = new TempDir();
        var content = RandomNumberGenerator.GetBytes(300_001);
        var path = dir.Write("f", content);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), await ContentHash.OfFileAsync(path, CancellationToken.None));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), await ContentHash.OfFileAsync(dir.Write("empty", []), CancellationToken.None));
    }

    [Fact]
    public async Task A_FIFO_a_symlink_or_a_missing_path_has_no_hash_and_nothing_blocks()
    {
        using var dir = new TempDir();
        var target = dir.Write("target", "a link is stored as a link, never read through");
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, target);
        var fifo = dir.Fifo("fifo");

        Assert.Null(await NonBlocking.RunAsync(() => ContentHash.OfFileAsync(fifo, CancellationToken.None)));
        Assert.Null(await ContentHash.OfFileAsync(link, CancellationToken.None));
        Assert.Null(await ContentHash.OfFileAsync(dir.Combine("missing"), CancellationToken.None));
    }
}
