using System.Formats.Tar;
using System.Security.Cryptography;
using AutoGlacier.Archive.Tar;
using AutoGlacier.Gathering;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Archive;

/// <summary>
/// The tar writer against a tree that changes between gathering and reading: each path is stored as what it is when
/// it is opened, never through a link, never by blocking on a FIFO, and a file is marked changed only when the file
/// read was written to.
/// </summary>
public class ArchiveTarWriterTests
{
    [Fact]
    public async Task A_file_stored_whole_has_the_hash_size_and_metadata_of_the_file_read()
    {
        using var dir = new TempDir();
        var content = RandomNumberGenerator.GetBytes(200_000);
        var path = dir.Write("data.bin", content);
        var mtime = new DateTime(2021, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567);
        File.SetLastWriteTimeUtc(path, mtime);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var (record, entries) = await WriteAsync(Gathered(path));

        Assert.Equal((FileStatus.Stored, 200_000L, Convert.ToHexStringLower(SHA256.HashData(content))), (record.Status, record.Size, record.Hash));
        var entry = Assert.Single(entries);
        Assert.Equal((TarEntryType.RegularFile, mtime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead),
            (entry.Type, entry.ModificationTime.UtcDateTime, entry.Mode));
        Assert.Equal(content, entry.Content);
    }

    [Fact]
    public async Task A_file_that_became_a_FIFO_after_gathering_is_skipped_without_blocking()
    {
        using var dir = new TempDir();
        var path = dir.Write("was-a-file", "x");
        var gathered = Gathered(path);
        File.Delete(path);
        dir.Fifo("was-a-file");

        var (record, entries) = await NonBlocking.RunAsync(() => WriteAsync(gathered));

        Assert.Equal(FileStatus.Skipped, record.Status);
        Assert.Contains("changed into a Special", record.Reason);
        Assert.Empty(entries);
    }

    [Fact]
    public async Task A_file_that_became_a_symlink_after_gathering_is_stored_as_the_link_and_its_target_is_not_read()
    {
        using var dir = new TempDir();
        var secret = dir.Write("elsewhere/secret.txt", "not to be followed");
        var path = dir.Write("was-a-file", "x");
        var gathered = Gathered(path);
        File.Delete(path);
        File.CreateSymbolicLink(path, secret);

        var (record, entries) = await WriteAsync(gathered);

        Assert.Equal(("symlink", secret), (record.Type, record.LinkTarget));
        var entry = Assert.Single(entries);
        Assert.Equal((TarEntryType.SymbolicLink, secret, 0), (entry.Type, entry.LinkName, entry.Content.Length));
    }

    [Fact]
    public async Task A_file_that_became_a_directory_is_stored_as_one_and_a_removed_one_is_skipped()
    {
        using var dir = new TempDir();
        var becomesDirectory = dir.Write("a", "x");
        var removed = dir.Write("b", "y");
        var (gatheredA, gatheredB) = (Gathered(becomesDirectory), Gathered(removed));
        File.Delete(becomesDirectory);
        Directory.CreateDirectory(becomesDirectory);
        File.Delete(removed);

        var (directory, entries) = await WriteAsync(gatheredA);
        var (gone, none) = await WriteAsync(gatheredB);

        Assert.Equal("directory", directory.Type);
        Assert.Equal(TarEntryType.Directory, Assert.Single(entries).Type);
        Assert.Equal((FileStatus.Skipped, "disappeared before it was read"), (gone.Status, gone.Reason));
        Assert.Empty(none);
    }

    [Fact]
    public async Task A_file_replaced_by_a_rename_while_read_is_stored_whole_as_it_was_opened()
    {
        using var dir = new TempDir();
        var original = RandomNumberGenerator.GetBytes(3 << 20);
        var path = dir.Write("document", original);
        var replacement = dir.Write("document.new", "the editor's new version");
        var gathered = Gathered(path);

        // An editor saving atomically: the new version is renamed over the path while the old one is being read.
        var (record, entries) = await WriteAsync(gathered, () => File.Move(replacement, path, overwrite: true));

        Assert.Equal((FileStatus.Stored, (long)original.Length), (record.Status, record.Size));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), record.Hash);
        Assert.Equal(original, Assert.Single(entries).Content);
    }

    [Fact]
    public async Task A_file_written_in_place_while_read_is_marked_changed()
    {
        using var dir = new TempDir();
        var path = dir.Write("table.db", new byte[3 << 20]);
        var gathered = Gathered(path);

        var (record, _) = await WriteAsync(gathered, () =>
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.Write("overwritten in place"u8);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1)); // whatever the file system's mtime granularity
        });

        Assert.Equal(FileStatus.ChangedWhileRead, record.Status);
        Assert.Equal(3L << 20, record.Size);
    }

    [Fact]
    public void The_open_file_metadata_is_what_lstat_says_of_its_path()
    {
        using var dir = new TempDir();
        var path = dir.Write("f", new byte[4321]);
        var opening = SourceFile.Open(path);
        using var file = Assert.IsType<SourceFile>(opening.File);
        var lstat = UnixFileInfo.Get(path);

        Assert.Equal(lstat, file.Info);
        Assert.Equal(lstat, file.StatAgain());
        File.AppendAllText(path, "more");
        Assert.Equal(4325L, file.StatAgain()!.Size);
    }

    [Fact]
    public async Task The_open_used_off_Linux_finds_the_same_kinds_and_reads_the_same_bytes()
    {
        using var dir = new TempDir();
        var content = RandomNumberGenerator.GetBytes(100_000);
        var file = dir.Write("f", content);
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, file);
        var fifo = dir.Fifo("fifo");

        foreach (var path in new[] { dir.Path, link, fifo, dir.Combine("missing") })
        {
            var opening = await NonBlocking.RunAsync(() => SourceFile.OpenManaged(path));
            Assert.Null(opening.File);
            Assert.Equal(SourceFile.Open(path).Current!.Kind, opening.Current!.Kind);
        }
        using var managed = Assert.IsType<SourceFile>(SourceFile.OpenManaged(file).File);
        var read = new byte[content.Length + 1];
        var total = 0;
        for (int n; (n = managed.Read(read.AsSpan(total))) > 0;) { total += n; }
        Assert.Equal(content, read[..total]);
        Assert.Equal(UnixFileInfo.Get(file), managed.Info);
        Assert.Equal(managed.Info, managed.StatAgain());
    }

    private static GatheredEntry Gathered(string path) => new(path, UnixFileInfo.Get(path));

    /// <summary>Writes one entry into a tar in memory; <paramref name="duringRead"/> runs once, after the first bytes are read.</summary>
    private static async Task<(FileRecord Record, List<(TarEntryType Type, string? LinkName, DateTimeOffset ModificationTime, UnixFileMode Mode, byte[] Content)> Entries)> WriteAsync(
        GatheredEntry entry, Action? duringRead = null)
    {
        using var tar = new MemoryStream();
        FileRecord record;
        var done = false;
        await using (var writer = new ArchiveTarWriter(tar))
        {
            record = await writer.WriteAsync(entry, _ =>
            {
                if (done || duringRead is null) { return; }
                done = true;
                duringRead();
            }, CancellationToken.None);
        }
        tar.Position = 0;
        var entries = new List<(TarEntryType, string?, DateTimeOffset, UnixFileMode, byte[])>();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } read)
        {
            using var content = new MemoryStream();
            read.DataStream?.CopyTo(content);
            entries.Add((read.EntryType, read.LinkName, read.ModificationTime, read.Mode, content.ToArray()));
        }
        return (record, entries);
    }
}
