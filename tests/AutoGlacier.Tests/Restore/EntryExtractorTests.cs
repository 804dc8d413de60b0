using System.Formats.Tar;
using System.Security.Cryptography;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Compression;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Restore;

/// <summary>The per-file write path: temp name, hash, mode and mtime on the open file, rename; nothing left behind.</summary>
public class EntryExtractorTests
{
    private static readonly DateTimeOffset When = new(2021, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public async Task Files_in_several_directories_get_their_content_mode_and_mtime_and_no_temp_file_stays()
    {
        using var dir = new TempDir();
        var extractor = new EntryExtractor(new SafeTargetPath(dir.Path), overwrite: false, skipExternalSymlinks: false);
        var names = new[] { "a/one.txt", "a/two.bin", "b/c/three.txt", "a/four.txt", "top.txt" };
        for (var i = 0; i < names.Length; i++)
        {
            var content = TestData.Mixed(i * 40_000 + 1, pieceSize: 10_000, seed: i);
            var hash = await extractor.ExtractAsync(FileEntry(names[i], content), Hex(content), CancellationToken.None);

            var restored = dir.Combine(names[i]);
            Assert.Equal(Hex(content), hash);
            Assert.Equal(content, await File.ReadAllBytesAsync(restored));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(restored));
            Assert.Equal(When.UtcDateTime, File.GetLastWriteTimeUtc(restored));
        }

        Assert.Empty(LeftoverTempFiles(dir.Path));
    }

    [Fact]
    public async Task A_file_whose_hash_differs_is_neither_restored_nor_left_under_a_temp_name()
    {
        using var dir = new TempDir();
        var extractor = new EntryExtractor(new SafeTargetPath(dir.Path), overwrite: false, skipExternalSymlinks: false);
        var content = TestData.Text(10_000);

        var error = await Assert.ThrowsAsync<RestoreEntryException>(() =>
            extractor.ExtractAsync(FileEntry("d/bad.txt", content), new string('0', 64), CancellationToken.None));

        Assert.Contains("'d/bad.txt' has SHA256", error.Message);
        Assert.False(File.Exists(dir.Combine("d/bad.txt")));
        Assert.Empty(LeftoverTempFiles(dir.Path));
    }

    [Fact]
    public async Task An_existing_file_is_kept_and_the_next_file_in_its_directory_still_restores()
    {
        using var dir = new TempDir();
        var existing = dir.Write("d/kept.txt", "mine");
        var extractor = new EntryExtractor(new SafeTargetPath(dir.Path), overwrite: false, skipExternalSymlinks: false);

        await Assert.ThrowsAsync<RestoreEntryException>(() =>
            extractor.ExtractAsync(FileEntry("d/kept.txt", TestData.Text(100)), null, CancellationToken.None));
        await extractor.ExtractAsync(FileEntry("d/new.txt", TestData.Text(100, seed: 5)), null, CancellationToken.None);

        Assert.Equal("mine", await File.ReadAllTextAsync(existing));
        Assert.Equal(TestData.Text(100, seed: 5), await File.ReadAllBytesAsync(dir.Combine("d/new.txt")));
        Assert.Empty(LeftoverTempFiles(dir.Path));
    }

    private static PaxTarEntry FileEntry(string name, byte[] content) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(content),
        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        ModificationTime = When,
    };

    private static string Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static IEnumerable<string> LeftoverTempFiles(string root) =>
        Directory.EnumerateFiles(root, ".agpart-*", SearchOption.AllDirectories);
}
