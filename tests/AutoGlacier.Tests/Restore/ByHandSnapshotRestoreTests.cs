using System.Text;
using AutoGlacier.Gathering;
using AutoGlacier.Restore;
using AutoGlacier.Snapshots;
using AutoGlacier.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Restore;

/// <summary>
/// tools/autoglacier-restore-snapshot.py, the restore of a snapshot made of several archives without AutoGlacier
/// (docs/FORMAT.md section 5): real snapshot runs, then the script on the local catalogs and the local vault's files.
/// </summary>
public sealed class ByHandSnapshotRestoreTests
{
    [Theory]
    [InlineData("lzma")]
    [InlineData("zstd")]
    public async Task Restores_each_snapshot_of_an_incremental_chain_exactly_as_the_tree_was(string compression)
    {
        if (!ByHandSnapshotRestore.Possible) { return; }
        using var world = new BackupWorld(compression);
        var data = world.NewDirectory("data");
        BuildTree(data);
        var full = await BackupAsync(world, data);
        ChangeEveryWay(data);
        var second = await BackupAsync(world, data);
        var atSecond = Capture(data);
        world.Config = world.Config with { ChangeDetection = "content" }; // copies of held content are referenced
        CopyAndEditKeepingMtime(data);
        var third = await BackupAsync(world, data);
        var atThird = Capture(data);

        var moved = (await ListingAsync(world, second.RunKey!))[Path.Combine(data, "docs", "renamed.bin")];
        Assert.True((moved.Run, moved.Source is not null, moved.Offset is not null) == (full.RunKey, true, true), $"the move is referenced: {moved}");
        var copies = (await ListingAsync(world, third.RunKey!)).Values.Where(e => e.Sha256 == moved.Sha256).ToList();
        Assert.True(copies.Count == 3 && copies.All(c => (c.Archive, c.Offset) == (moved.Archive, moved.Offset)), "three paths share one tar entry");

        var local = ByHandSnapshotRestore.CatalogDirectory(world);
        var fromVault = ByHandSnapshotRestore.DecryptVaultCatalogs(world, await CatalogObjectsAsync(world));
        foreach (var (run, catalogs, expected) in new[] { (second, local, atSecond), (third, local, atThird), (third, fromVault, atThird) })
        {
            var target = world.NewDirectory("by-hand-" + Guid.NewGuid().ToString("N"));
            var (exitCode, stderr) = ByHandSnapshotRestore.RunWithCatalogs(world, run.RunKey!, target, catalogs);
            Assert.True(exitCode == 0, stderr);
            Assert.Equal(expected, Capture(BackupWorld.Restored(target, data)));
        }
    }

    [Fact]
    public async Task AutoGlacier_restores_and_verifies_each_snapshot_of_the_same_chain_exactly_as_the_tree_was()
    {
        using var world = new BackupWorld("zstd");
        var data = world.NewDirectory("data");
        BuildTree(data);
        await BackupAsync(world, data);
        ChangeEveryWay(data);
        var second = await BackupAsync(world, data);
        var atSecond = Capture(data);
        world.Config = world.Config with { ChangeDetection = "content" };
        CopyAndEditKeepingMtime(data);
        var third = await BackupAsync(world, data);
        var atThird = Capture(data);

        foreach (var (run, expected) in new[] { (second, atSecond), (third, atThird) })
        {
            var target = world.NewDirectory("restored-" + run.RunKey);
            var restored = await world.RestoreAsync(new RunSelector { RunKey = run.RunKey }, target);
            Assert.True(restored.Problems.Count == 0, string.Join("\n", restored.Problems));
            // A restore sets mtimes to .NET's 100 ns resolution.
            Assert.Equal(expected.Select(To100Ns), Capture(BackupWorld.Restored(target, data)).Select(To100Ns));
            var verified = await VerifyRunner.RunAsync(world.Config, new RunSelector { RunKey = run.RunKey }, world.PrivateKeyPath, BackupWorld.Passphrase,
                NullLogger.Instance, CancellationToken.None);
            Assert.True(verified.Problems.Count == 0, string.Join("\n", verified.Problems));
        }
    }

    [Fact]
    public async Task Include_restores_only_the_matching_paths()
    {
        if (!ByHandSnapshotRestore.Possible) { return; }
        using var world = new BackupWorld("zstd");
        var data = world.NewDirectory("data");
        BuildTree(data);
        var run = await BackupAsync(world, data);
        var target = world.NewDirectory("restored");

        var (exitCode, stderr) = ByHandSnapshotRestore.Run(world, run.RunKey!, target, "--include", "**/docs/*.txt");

        Assert.True(exitCode == 0, stderr);
        var restored = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(BackupWorld.Restored(target, data), p));
        Assert.Equal(["docs/a.txt", "docs/b.txt"], restored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_missing_archive_is_named_and_nothing_of_it_is_restored()
    {
        if (!ByHandSnapshotRestore.Possible) { return; }
        using var world = new BackupWorld("zstd");
        var data = world.NewDirectory("data");
        BuildTree(data);
        var run = await BackupAsync(world, data);
        File.Delete(world.ArchiveFile(run.ArchiveId!));
        var target = world.NewDirectory("restored");

        var (exitCode, stderr) = ByHandSnapshotRestore.Run(world, run.RunKey!, target);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"archive {run.ArchiveId} is not in", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_file_whose_bytes_differ_from_the_catalogs_hash_fails_and_is_not_left_behind()
    {
        if (!ByHandSnapshotRestore.Possible) { return; }
        using var world = new BackupWorld("zstd");
        var data = world.NewDirectory("data");
        BuildTree(data);
        var run = await BackupAsync(world, data);
        var victim = Path.Combine(data, "docs", "a.txt");
        RewriteCatalog(world, run.RunKey!, line => line.Contains($"\"path\":\"{victim}\"", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(line, "\"sha256\":\"[0-9a-f]{64}\"", $"\"sha256\":\"{new string('0', 64)}\"")
            : line);
        var target = world.NewDirectory("restored");

        var (exitCode, stderr) = ByHandSnapshotRestore.Run(world, run.RunKey!, target);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"{victim}: SHA-256", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories), p => p.Contains("a.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tampered_archive_fails_with_the_decryptors_message_and_leaves_no_file()
    {
        if (!ByHandSnapshotRestore.Possible) { return; }
        using var world = new BackupWorld("zstd");
        var data = world.NewDirectory("data");
        BuildTree(data);
        var run = await BackupAsync(world, data);
        using (var archive = File.OpenWrite(world.ArchiveFile(run.ArchiveId!)))
        {
            archive.Position = 1000; // inside chunk 0, after the 310-byte header
            archive.WriteByte(0x5A);
        }
        var target = world.NewDirectory("restored");

        var (exitCode, stderr) = ByHandSnapshotRestore.Run(world, run.RunKey!, target);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("chunk 0 at byte offset 310 failed authentication", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_catalog_cut_before_its_trailer_is_refused()
    {
        if (!ByHandSnapshotRestore.Possible) { return; }
        using var world = new BackupWorld("zstd");
        var data = world.NewDirectory("data");
        BuildTree(data);
        var run = await BackupAsync(world, data);
        RewriteCatalog(world, run.RunKey!, line => line.StartsWith("{\"end\":", StringComparison.Ordinal) ? null : line);

        var (exitCode, stderr) = ByHandSnapshotRestore.Run(world, run.RunKey!, world.NewDirectory("restored"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("is incomplete", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_written_through_a_symlink_in_the_target_or_outside_it()
    {
        if (!ByHandSnapshotRestore.Possible) { return; }
        using var world = new BackupWorld("zstd");
        var data = world.NewDirectory("data");
        BuildTree(data);
        var run = await BackupAsync(world, data);
        var outside = world.NewDirectory("outside");
        var target = world.NewDirectory("restored");
        var firstSegment = data.TrimStart('/').Split('/')[0];
        File.CreateSymbolicLink(Path.Combine(target, firstSegment), outside); // a planted link where the restore goes

        var (exitCode, stderr) = ByHandSnapshotRestore.Run(world, run.RunKey!, target);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("is a symlink", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));

        RewriteCatalog(world, run.RunKey!, line => line.Replace($"\"path\":\"{data}\"", "\"path\":\"/../escaped\"", StringComparison.Ordinal));
        (exitCode, stderr) = ByHandSnapshotRestore.Run(world, run.RunKey!, world.NewDirectory("restored-2"));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("would escape the target directory", stderr, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(world.Root, "escaped")));
    }

    /// <summary>Files of several sizes and kinds, Unicode and long names, a symlink, an empty directory.</summary>
    private static void BuildTree(string data)
    {
        TreeBuilder.Awkward(Path.Combine(data, "awkward"));
        Directory.CreateDirectory(Path.Combine(data, "docs", "deep"));
        Directory.CreateDirectory(Path.Combine(data, "olddir"));
        File.WriteAllBytes(Path.Combine(data, "big.bin"), TreeBuilder.Pseudo(400_000, 1));
        File.WriteAllText(Path.Combine(data, "docs", "a.txt"), "alpha");
        File.WriteAllText(Path.Combine(data, "docs", "b.txt"), "bravo");
        File.WriteAllText(Path.Combine(data, "docs", "deep", "c.txt"), "charlie");
        File.WriteAllText(Path.Combine(data, "olddir", "d.txt"), "delta");
        File.WriteAllText(Path.Combine(data, "mode.txt"), "mode only");
        File.WriteAllText(Path.Combine(data, "becomes-link.txt"), "a file, later a symlink");
        File.CreateSymbolicLink(Path.Combine(data, "link"), "docs/a.txt");
    }

    /// <summary>Modified, new, deleted, moved (same inode: referenced), copied, chmod-ed, file → symlink, directory → file.</summary>
    private static void ChangeEveryWay(string data)
    {
        File.AppendAllText(Path.Combine(data, "docs", "a.txt"), " changed");
        File.WriteAllText(Path.Combine(data, "new.txt"), "new");
        File.Delete(Path.Combine(data, "docs", "deep", "c.txt"));
        File.Move(Path.Combine(data, "big.bin"), Path.Combine(data, "docs", "renamed.bin"));
        File.Copy(Path.Combine(data, "olddir", "d.txt"), Path.Combine(data, "copy-of-d.txt"));
        File.SetUnixFileMode(Path.Combine(data, "mode.txt"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.Delete(Path.Combine(data, "becomes-link.txt"));
        File.CreateSymbolicLink(Path.Combine(data, "becomes-link.txt"), "new.txt");
        Directory.Delete(Path.Combine(data, "olddir"), recursive: true);
        File.WriteAllText(Path.Combine(data, "olddir"), "a directory replaced by a file");
        File.Delete(Path.Combine(data, "awkward", "empty"));
    }

    /// <summary>Two copies of the moved file (one entry of the full's tar feeds three paths), an edit that keeps the mtime, a path back.</summary>
    private static void CopyAndEditKeepingMtime(string data)
    {
        File.Copy(Path.Combine(data, "docs", "renamed.bin"), Path.Combine(data, "copy-1.bin"));
        File.Copy(Path.Combine(data, "docs", "renamed.bin"), Path.Combine(data, "docs", "deep", "copy-2.bin"));
        var kept = Path.Combine(data, "docs", "b.txt");
        var mtime = File.GetLastWriteTimeUtc(kept);
        File.WriteAllText(kept, "BRAVO");
        File.SetLastWriteTimeUtc(kept, mtime);
        File.WriteAllText(Path.Combine(data, "docs", "deep", "c.txt"), "charlie is back");
        File.Delete(Path.Combine(data, "new.txt"));
    }

    private static async Task<BackupResult> BackupAsync(BackupWorld world, string data)
    {
        var result = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => world.Config,
            Files = [data],
            RecurseDirectories = true,
            Description = "by-hand snapshot test",
            JobName = "by-hand",
            Logger = NullLogger.Instance,
        }, CancellationToken.None);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        return result;
    }

    /// <summary>The vault files of every run's encrypted catalog (the log names them).</summary>
    private static async Task<List<string>> CatalogObjectsAsync(BackupWorld world) =>
        [.. (await world.Log.ListRunsAsync(CancellationToken.None)).Select(r => world.ArchiveFile(r.Value.Snapshot!.CatalogArchiveId!))];

    private static async Task<Dictionary<string, CatalogEntry>> ListingAsync(BackupWorld world, string runKey)
    {
        var runs = (await world.Log.ListRunsAsync(CancellationToken.None)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        return SnapshotCatalogs.Listing(world.Config.JsonDatabase, SnapshotCatalogs.ChainOf(runKey, runs))().ToDictionary(e => e.Path, StringComparer.Ordinal);
    }

    /// <summary>A <see cref="Capture"/> line with its nanosecond mtime cut to 100 ns.</summary>
    /// A symlink's own mtime is not restored (neither by tar nor by AutoGlacier): left out.
    private static string To100Ns(string line) => System.Text.RegularExpressions.Regex.Replace(line,
        line.Contains(": SymbolicLink ", StringComparison.Ordinal) ? @" (\d{8,}) " : @" (\d{8,})\d\d ", m => m.Value.Length > 12 && line.Contains(": SymbolicLink ", StringComparison.Ordinal) ? " - " : $" {m.Groups[1].Value}xx ");

    /// <summary>Every entry below <paramref name="root"/> (and itself) as "path: kind mode mtime content-or-target", sorted.</summary>
    private static List<string> Capture(string root) =>
        new[] { root }.Concat(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            .Select(path => (Relative: Path.GetRelativePath(root, path), Info: UnixFileInfo.Get(path), Path: path))
            .Select(e => $"{e.Relative}: {e.Info.Kind} {(e.Info.Kind == FileKind.SymbolicLink ? "" : Convert.ToString(e.Info.Mode, 8))} {e.Info.ModifiedUnixNs} " + e.Info.Kind switch
            {
                FileKind.SymbolicLink => "-> " + new FileInfo(e.Path).LinkTarget,
                FileKind.RegularFile => TreeBuilder.Sha256Hex(e.Path),
                _ => "",
            })
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Rewrites the local catalog of <paramref name="runKey"/> line by line (null drops a line), with the zstd CLI.</summary>
    private static void RewriteCatalog(BackupWorld world, string runKey, Func<string, string?> rewrite)
    {
        var path = Path.Combine(ByHandSnapshotRestore.CatalogDirectory(world), runKey + ".catalog.zst");
        var plain = Tool.Run("/usr/bin/zstd", ["-dc", path]);
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var lines = Encoding.UTF8.GetString(plain.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(rewrite).OfType<string>();
        var packed = Tool.Run("/usr/bin/zstd", ["-c", "-q"], Encoding.UTF8.GetBytes(string.Join("", lines.Select(l => l + "\n"))));
        Assert.True(packed.ExitCode == 0, packed.Stderr);
        File.WriteAllBytes(path, packed.Stdout);
    }
}
