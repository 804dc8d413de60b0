using AutoGlacier.Gathering;
using AutoGlacier.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Gathering;

public class GathererTests
{
    private static readonly Gatherer NonRecursive = new(NullLogger.Instance, recurseDirectories: false);
    private static readonly Gatherer Recursive = new(NullLogger.Instance, recurseDirectories: true);

    /// <summary>What a run would see: the plan's roots walked to the end, with every skip (up front or during the walk).</summary>
    private sealed record Gathered(List<GatheredEntry> Entries, List<(string Path, string Reason)> Skipped, IReadOnlyList<string> Warnings);

    private static Gathered Collect(Gatherer gatherer, IEnumerable<string> files, IEnumerable<string> globs, Action<IList<string>>? hook)
    {
        var plan = gatherer.Gather(files, globs, hook);
        var skipped = new List<(string Path, string Reason)>(plan.Skipped);
        var entries = plan.Walk((path, reason) => skipped.Add((path, reason))).ToList();
        return new Gathered(entries, skipped, plan.Warnings);
    }

    [Fact]
    public void Duplicates_are_kept_once_and_globs_add_to_files()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.sh", "a");
        dir.Write("b.sh", "b");
        var result = Collect(NonRecursive, [a, a, dir.Combine(".", "a.sh")], [dir.Combine("*.sh")], null);
        Assert.Equal([a, dir.Combine("b.sh")], result.Entries.Select(e => e.FullPath));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Missing_files_are_skipped_with_a_reason_and_empty_globs_warn()
    {
        using var dir = new TempDir();
        var result = Collect(NonRecursive, [dir.Combine("gone.txt")], [dir.Combine("*.none")], null);
        Assert.Empty(result.Entries);
        var (path, reason) = Assert.Single(result.Skipped);
        Assert.Equal(dir.Combine("gone.txt"), path);
        Assert.Contains("does not exist", reason);
        Assert.Contains(result.Warnings, w => w.Contains("matched nothing"));
    }

    [Fact]
    public void A_directory_in_files_is_an_error_unless_recursion_is_on()
    {
        using var dir = new TempDir();
        dir.Write("sub/x.txt", "x");
        var error = Assert.Throws<ConfigurationException>(() => Collect(NonRecursive, [dir.Combine("sub")], [], null));
        Assert.Contains("is a directory", error.Message);
        var recursive = Collect(Recursive, [dir.Combine("sub")], [], null);
        Assert.Equal([dir.Combine("sub"), dir.Combine("sub", "x.txt")], recursive.Entries.Select(e => e.FullPath));
    }

    [Fact]
    public void Symlinks_are_entries_of_their_own_kind_and_fifos_are_skipped()
    {
        using var dir = new TempDir();
        var target = dir.Write("target.txt", "t");
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, target);
        var fifo = dir.Fifo("pipe");
        var result = Collect(NonRecursive, [link, fifo], [], null);
        Assert.Equal(FileKind.SymbolicLink, Assert.Single(result.Entries).Info.Kind);
        Assert.Contains("special file", Assert.Single(result.Skipped).Reason);
    }

    [Fact]
    public void The_gather_hook_can_add_and_remove_paths_before_anything_is_read()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.txt", "a");
        var b = dir.Write("b.txt", "b");
        var result = Collect(NonRecursive, [a], [], files =>
        {
            files.Remove(a);
            files.Add(b);
        });
        Assert.Equal([b], result.Entries.Select(e => e.FullPath));
    }

    [Fact]
    public void Lstat_reads_mode_size_and_mtime()
    {
        using var dir = new TempDir();
        var file = dir.Write("f", new byte[1234]);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var when = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567);
        File.SetLastWriteTimeUtc(file, when);
        var info = UnixFileInfo.Get(file);
        Assert.Equal((FileKind.RegularFile, 1234L, 0x1A0), (info.Kind, info.Size, info.Mode));
        Assert.Equal(when, info.ModifiedUtc.UtcDateTime);
    }

    [Fact]
    public void A_final_double_star_stores_the_whole_tree_and_a_plain_glob_warns_about_directories()
    {
        using var dir = new TempDir();
        var top = dir.Write("top.txt", "t");
        var deep = dir.Write("sub/deeper/deep.txt", "d");
        var recursive = Collect(NonRecursive, [], [dir.Path + "/**"], null);
        Assert.Equal([deep, top], recursive.Entries.Select(e => e.FullPath).Order(StringComparer.Ordinal));
        Assert.Empty(recursive.Warnings);

        var flat = Collect(NonRecursive, [], [dir.Combine("*")], null);
        Assert.Equal([top], flat.Entries.Select(e => e.FullPath));
        Assert.Contains(flat.Warnings, w => w.Contains("is a directory matched by a glob"));
    }

    [Fact]
    public void A_path_that_cannot_be_inspected_is_skipped_not_fatal()
    {
        using var dir = new TempDir();
        var loop = dir.Combine("loop");
        File.CreateSymbolicLink(loop, loop); // lstat of loop/x fails with ELOOP
        var good = dir.Write("good.txt", "g");
        var result = Collect(NonRecursive, [Path.Combine(loop, "x"), good], [], null);
        Assert.Equal([good], result.Entries.Select(e => e.FullPath));
        Assert.Contains("cannot be inspected", Assert.Single(result.Skipped).Reason);
    }

    [Fact]
    public void Lstat_reads_the_owner()
    {
        using var dir = new TempDir();
        var file = dir.Write("owned", "x");
        var expected = Tool.Run("/usr/bin/stat", ["-c", "%u %g", file]);
        var info = UnixFileInfo.Get(file);
        Assert.Equal(System.Text.Encoding.ASCII.GetString(expected.Stdout).Trim(), $"{info.Uid} {info.Gid}");
    }

    [Fact]
    public void Lstat_reads_inode_device_mtime_and_ctime_as_stat_reports_them()
    {
        using var dir = new TempDir();
        var file = dir.Write("f", "content");
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, file);
        foreach (var path in new[] { file, link, dir.Path })
        {
            var expected = Tool.Run("/usr/bin/stat", ["-c", "%i %d %.9Y %.9Z", path]);
            var info = UnixFileInfo.Get(path);
            Assert.Equal(System.Text.Encoding.ASCII.GetString(expected.Stdout).Trim(),
                $"{info.Inode} {info.Device} {Seconds(info.ModifiedUnixNs)} {Seconds(info.ChangedUnixNs)}");
        }
    }

    [Fact]
    public void Lstat_keeps_the_mtime_to_the_nanosecond()
    {
        using var dir = new TempDir();
        var file = dir.Write("f", "x");
        var touch = Tool.Run("/usr/bin/touch", ["-d", "@1577934245.123456789", file]);
        Assert.Equal(0, touch.ExitCode);
        var info = UnixFileInfo.Get(file);
        Assert.Equal(1_577_934_245_123_456_789L, info.ModifiedUnixNs);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_577_934_245).AddTicks(1_234_567), info.ModifiedUtc);
    }

    [Fact]
    public void A_hard_link_shares_inode_and_device_and_a_copy_does_not()
    {
        using var dir = new TempDir();
        var original = dir.Write("original", "same bytes");
        var hardLink = dir.Combine("hard-link");
        Assert.Equal(0, Tool.Run("/usr/bin/ln", [original, hardLink]).ExitCode);
        var copy = dir.Combine("copy");
        File.Copy(original, copy);
        var (a, b, c) = (UnixFileInfo.Get(original), UnixFileInfo.Get(hardLink), UnixFileInfo.Get(copy));
        Assert.NotEqual(0UL, a.Inode);
        Assert.Equal((a.Inode, a.Device), (b.Inode, b.Device));
        Assert.Equal(a.Device, c.Device);
        Assert.NotEqual(a.Inode, c.Inode);
    }

    [Fact]
    public void A_chmod_moves_the_ctime_but_not_the_mtime()
    {
        using var dir = new TempDir();
        var file = dir.Write("f", "x");
        var before = UnixFileInfo.Get(file);
        // The kernel stamps ctime from a coarse clock (a few ms per tick): let it tick before the change.
        Thread.Sleep(50);
        File.SetUnixFileMode(file, UnixFileMode.UserRead);
        var after = UnixFileInfo.Get(file);
        Assert.True(after.ChangedUnixNs > before.ChangedUnixNs, $"ctime {before.ChangedUnixNs} -> {after.ChangedUnixNs}");
        Assert.Equal(before.ModifiedUnixNs, after.ModifiedUnixNs);
        Assert.Equal((before.Inode, before.Device), (after.Inode, after.Device));
    }

    [Fact]
    public void A_recursive_walk_visits_every_entry_once_in_ordinal_order_of_full_paths()
    {
        using var dir = new TempDir();
        // '.' and '-' sort before '/', so "b.txt" and "b-c" come between "b" and "b/x"; dot files are kept.
        foreach (var name in (string[])["b/x", "b/.hidden", "b/c/d.txt", "b.txt", "b-c/y", "B", "a b", ".dot", "\u00e9t\u00e9", "b/c.d/e"])
        {
            dir.Write(name, name);
        }
        Directory.CreateDirectory(dir.Combine("empty"));
        File.CreateSymbolicLink(dir.Combine("link-to-b"), dir.Combine("b"));
        var expected = Directory.EnumerateFileSystemEntries(dir.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Append(dir.Path).Where(p => !p.StartsWith(dir.Combine("link-to-b") + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        var walked = Collect(Recursive, [dir.Path], [], null);

        Assert.Equal(expected, walked.Entries.Select(e => e.FullPath));
        Assert.Contains(dir.Combine(".dot"), expected);
        Assert.Equal(FileKind.SymbolicLink, walked.Entries.Single(e => e.FullPath == dir.Combine("link-to-b")).Info.Kind);
        Assert.Empty(walked.Skipped);
    }

    [Fact]
    public void Overlapping_roots_are_merged_into_one_ordinal_walk_with_each_path_once()
    {
        using var dir = new TempDir();
        var (inner, beside, deep) = (dir.Write("b/x", "x"), dir.Write("b.txt", "t"), dir.Write("b/c/d", "d"));
        // Roots "b" (descended) and "b.txt" interleave: b < b.txt < b/c < b/c/d < b/x. "b/c/d" is also inside "b".
        var walked = Collect(Recursive, [dir.Combine("b.txt"), deep, dir.Combine("b") + "/", inner], [], null);
        Assert.Equal([dir.Combine("b"), beside, dir.Combine("b", "c"), deep, inner], walked.Entries.Select(e => e.FullPath));
    }

    [Fact]
    public void A_special_file_found_by_the_walk_is_skipped_with_its_reason()
    {
        using var dir = new TempDir();
        var kept = dir.Write("kept.txt", "k");
        var fifo = dir.Fifo("pipe");
        var walked = Collect(Recursive, [dir.Path], [], null);
        Assert.Equal([dir.Path, kept], walked.Entries.Select(e => e.FullPath));
        var (path, reason) = Assert.Single(walked.Skipped);
        Assert.Equal(fifo, path);
        Assert.Contains("special file", reason);
    }

    private static string Seconds(long unixNs) =>
        $"{Math.DivRem(unixNs, 1_000_000_000L).Quotient}.{Math.DivRem(unixNs, 1_000_000_000L).Remainder:D9}";
}
