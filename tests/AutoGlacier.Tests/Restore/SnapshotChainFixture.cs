using AutoGlacier.Gathering;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Restore;

/// <summary>
/// A three-run snapshot chain made of real backups into a real vault: run 1 backs up the whole tree, runs 2 and 3
/// back up only what changed after them. Backups do not write snapshot runs yet, so the snapshot records and local
/// catalogs are written here through the log and catalog APIs, as the backup pipeline will: run 3 (incremental on
/// run 2, on run 1) lists entries whose bytes are in all three archives, a removal mark (a.txt), a metadata-only
/// change (e.txt is 0600 in the snapshot, 0644 in run 1's tar header) and directories whose mtimes changed since
/// run 1 stored them.
/// </summary>
internal sealed class SnapshotChainFixture : IDisposable
{
    public SnapshotChainFixture(string compression = "zstd", BackupWorld? world = null)
    {
        World = world ?? new BackupWorld(compression);
        Source = World.NewDirectory("src");
    }

    public BackupWorld World { get; }
    public string Source { get; }
    public string[] Runs { get; private set; } = [];
    public string[] Archives { get; private set; } = [];
    public string Path(string relative) => System.IO.Path.Combine(Source, relative);

    /// <summary>Extra catalog lines of run index (0-based) i, e.g. an entry its archive lacks.</summary>
    public Func<int, IEnumerable<CatalogEntry>> Extra { get; set; } = _ => [];

    /// <summary>Run 1 stays a run logged before snapshots (no snapshot record, no local catalog): a legacy base.</summary>
    public bool LegacyBase { get; set; }

    /// <summary>Catalog lines to change per run index before writing (e.g. a wrong SHA-256).</summary>
    public Func<int, CatalogEntry, CatalogEntry> Edit { get; set; } = (_, e) => e;

    /// <summary>Makes the three backups and their snapshot records and catalogs.</summary>
    public async Task BuildAsync()
    {
        Directory.CreateDirectory(Path("sub"));
        File.WriteAllText(Path("a.txt"), "alpha, deleted after run 1");
        File.WriteAllText(Path("b.txt"), "bravo version 1");
        File.WriteAllText(Path("e.txt"), "echo, whose mode changes after run 1");
        File.SetUnixFileMode(Path("e.txt"), (UnixFileMode)Convert.ToInt32("644", 8));
        File.WriteAllBytes(Path("sub/d.bin"), Random(200_000, seed: 1));
        File.WriteAllText(Path("sub/f.txt"), "foxtrot, never changes");
        File.CreateSymbolicLink(Path("link"), "b.txt");
        var run1 = await BackUpAsync([Source], recursive: true);

        File.Delete(Path("a.txt"));
        File.WriteAllText(Path("b.txt"), "bravo version 2, stored by run 2");
        File.SetUnixFileMode(Path("e.txt"), (UnixFileMode)Convert.ToInt32("600", 8));
        File.WriteAllText(Path("sub/c.txt"), "charlie, new in run 2");
        var run2 = await BackUpAsync([Path("b.txt"), Path("sub/c.txt")], recursive: false);

        File.WriteAllBytes(Path("sub/d.bin"), Random(150_000, seed: 3));
        var run3 = await BackUpAsync([Path("sub/d.bin")], recursive: false);
        (Runs, Archives) = ([run1.RunKey!, run2.RunKey!, run3.RunKey!], [run1.ArchiveId!, run2.ArchiveId!, run3.ArchiveId!]);

        var stored = new List<List<CatalogEntry>>();
        for (var i = 0; i < 3; i++) { stored.Add(await StoredEntriesAsync(Runs[i], Archives[i])); }
        var referenced = new List<CatalogEntry>
        {
            CatalogEntry.RemovalOf(Path("a.txt")),
            Referenced(Path("e.txt"), stored[0]),
            Referenced(Source, stored[0]),
            Referenced(Path("sub"), stored[0]),
        };
        if (!LegacyBase) { await WriteSnapshotAsync(0, SnapshotKind.Full, null, stored[0]); }
        else { LegacyRun.Make(World.Config.JsonDatabase, Runs[0]); }
        await WriteSnapshotAsync(1, SnapshotKind.Incremental, Runs[0], [.. stored[1], .. referenced]);
        await WriteSnapshotAsync(2, SnapshotKind.Incremental, Runs[1], stored[2]);
    }


    /// <summary>Expected SHA-256 of each regular file of the snapshot of run 3 (relative path → hash), from the source tree now.</summary>
    public Dictionary<string, string> ExpectedFileHashes() =>
        Directory.EnumerateFiles(Source, "*", SearchOption.AllDirectories)
            .Where(f => UnixFileInfo.Get(f).Kind == FileKind.RegularFile)
            .ToDictionary(f => System.IO.Path.GetRelativePath(Source, f), f => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    private async Task<BackupResult> BackUpAsync(IEnumerable<string> files, bool recursive)
    {
        var result = await World.BackupAsync(files, recursive: recursive);
        Assert.True(result.ExitCode == 0, result.Error);
        return result;
    }

    private async Task<List<CatalogEntry>> StoredEntriesAsync(string runKey, string archiveId)
    {
        var entries = new List<CatalogEntry>();
        await foreach (var file in World.Log.ReadFilesAsync(runKey, CancellationToken.None))
        {
            if (file.Status != FileStatus.Stored) { continue; }
            entries.Add(new CatalogEntry
            {
                Path = file.Path,
                Type = file.Type switch { "directory" => EntryType.Directory, "symlink" => EntryType.Symlink, _ => EntryType.File },
                Size = file.Type == "file" ? file.Size : null,
                MtimeNs = file.Mtime is { } mtime ? (mtime - DateTimeOffset.UnixEpoch).Ticks * 100 : null,
                Mode = file.Mode,
                Link = file.LinkTarget,
                Sha256 = file.Hash,
                Run = runKey,
                Archive = archiveId,
            });
        }
        return entries;
    }

    /// <summary>The entry as the tree has it now, its bytes where <paramref name="holder"/> (an earlier run's entries) has them.</summary>
    private static CatalogEntry Referenced(string path, List<CatalogEntry> holder)
    {
        var old = holder.Single(e => e.Path == path);
        var now = EntryFactsOf.Stat(path, UnixFileInfo.Get(path))!;
        return CatalogEntry.From(now, new ContentLocation(old.Run!, old.Archive!, old.Offset, null, old.Sha256));
    }

    private async Task WriteSnapshotAsync(int index, SnapshotKind kind, string? baseRun, List<CatalogEntry> entries)
    {
        entries.AddRange(Extra(index));
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var runKey = Runs[index];
        var record = (await World.Log.GetRunAsync(runKey, CancellationToken.None))!;
        var header = new CatalogHeader { Run = runKey, Kind = kind, Base = baseRun, Series = SnapshotCatalogs.SeriesOf(record), StartedAt = record.StartedAt };
        File.Delete(LocalCatalogFile.PathFor(World.Config.JsonDatabase, header.Run)); // the backup's own catalog, replaced by this one
        using (var catalog = LocalCatalogFile.Create(World.Config.JsonDatabase, header))
        {
            foreach (var entry in entries) { catalog.Writer.Add(Edit(index, entry)); }
            catalog.Commit();
        }
        await World.Log.UpdateRunAsync(runKey, record with
        {
            Snapshot = new RunSnapshot
            {
                Kind = SnapshotCatalogs.NameOf(kind), Base = baseRun, CatalogEntries = entries.Count, CatalogArchiveId = "catalog-" + runKey,
            },
        }, CancellationToken.None);
    }

    private static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => World.Dispose();
}
