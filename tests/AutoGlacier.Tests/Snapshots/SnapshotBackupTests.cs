using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using AutoGlacier.Compression;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Snapshots;

/// <summary>
/// Snapshot runs end to end on a local vault: what each run stores, what its complete listing (its chain of catalogs)
/// says, and the catalog's copies in the archive, beside the log and in the vault.
/// </summary>
public sealed class SnapshotBackupTests : IDisposable
{
    private readonly BackupWorld _world = new("zstd");
    private readonly string _data;

    public SnapshotBackupTests()
    {
        _data = _world.NewDirectory("data");
        Directory.CreateDirectory(Path.Combine(_data, "docs", "deep"));
        Directory.CreateDirectory(Path.Combine(_data, "olddir"));
        File.WriteAllBytes(Path.Combine(_data, "big.bin"), TreeBuilder.Pseudo(400_000, 1));
        File.WriteAllText(Path.Combine(_data, "docs", "a.txt"), "alpha");
        File.WriteAllText(Path.Combine(_data, "docs", "deep", "b.txt"), "bravo");
        File.WriteAllText(Path.Combine(_data, "olddir", "c.txt"), "charlie");
        File.WriteAllText(Path.Combine(_data, "mode.txt"), "mode only");
        File.WriteAllText(Path.Combine(_data, "becomes-link.txt"), "a file, later a symlink");
        File.CreateSymbolicLink(Path.Combine(_data, "link"), "docs/a.txt");
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task An_unchanged_tree_backed_up_again_reads_and_stores_no_file_content()
    {
        var first = await BackupAsync();
        var second = await BackupAsync();

        Assert.Equal(("full", "incremental", first.RunKey), (first.Snapshot!.Kind, second.Snapshot!.Kind, second.Snapshot.Base));
        Assert.Equal((0, 0L, 0L), (second.FilesStored, second.PlaintextSize, second.Snapshot.Stored));
        Assert.Equal(first.Snapshot.Entries, second.Snapshot.Unchanged);
        Assert.Empty(await _world.Log.ReadFilesAsync(second.RunKey!, CancellationToken.None).ToListAsync());
        await AssertListingIsTheTreeAsync(second.RunKey!);
    }

    [Fact]
    public async Task Each_kind_of_change_is_stored_referenced_or_removed_and_the_listing_is_the_tree_of_that_moment()
    {
        var first = await BackupAsync();
        File.AppendAllText(Path.Combine(_data, "docs", "a.txt"), " changed");
        File.WriteAllText(Path.Combine(_data, "new.txt"), "new");
        File.Delete(Path.Combine(_data, "docs", "deep", "b.txt"));
        File.Move(Path.Combine(_data, "big.bin"), Path.Combine(_data, "docs", "renamed.bin"));
        File.Copy(Path.Combine(_data, "olddir", "c.txt"), Path.Combine(_data, "copy-of-c.txt"));
        File.SetUnixFileMode(Path.Combine(_data, "mode.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Delete(Path.Combine(_data, "becomes-link.txt"));
        File.CreateSymbolicLink(Path.Combine(_data, "becomes-link.txt"), "new.txt");
        Directory.Delete(Path.Combine(_data, "olddir"), recursive: true);
        File.WriteAllText(Path.Combine(_data, "olddir"), "a directory replaced by a file");

        var second = await BackupAsync();

        var snapshot = second.Snapshot!;
        Assert.Equal(("incremental", first.RunKey), (snapshot.Kind, snapshot.Base));
        Assert.Equal(1, snapshot.Referenced); // the 400 kB file moved within the tree: same device, inode, size, mtime
        Assert.True(second.PlaintextSize < 1_000, $"only the small changed files are read, not the moved one: {second.PlaintextSize} bytes");
        var listing = await ListingAsync(second.RunKey!);
        Assert.Equal(first.RunKey, listing[Path.Combine(_data, "docs", "renamed.bin")].Run);
        var removed = (await _world.Log.ReadFilesAsync(second.RunKey!, CancellationToken.None).ToListAsync())
            .Where(f => f.Status == FileStatus.Removed).Select(f => f.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { Path.Combine(_data, "big.bin"), Path.Combine(_data, "docs", "deep", "b.txt"), Path.Combine(_data, "olddir", "c.txt") }, removed);
        await AssertListingIsTheTreeAsync(second.RunKey!);
    }

    [Fact]
    public async Task Content_mode_catches_an_edit_that_keeps_size_and_mtime_and_references_copies_instead_of_storing_them()
    {
        _world.Config = _world.Config with { ChangeDetection = "content" };
        var path = Path.Combine(_data, "docs", "a.txt");
        var mtime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, mtime);
        await BackupAsync();
        File.WriteAllText(path, "ALPHA"); // same size
        File.SetLastWriteTimeUtc(path, mtime);
        File.Copy(Path.Combine(_data, "big.bin"), Path.Combine(_data, "big-copy.bin"));

        var second = await BackupAsync();

        var listing = await ListingAsync(second.RunKey!);
        Assert.Equal(Sha256Of(path), listing[path].Sha256);
        Assert.Equal(second.RunKey, listing[path].Run);
        Assert.NotEqual(second.RunKey, listing[Path.Combine(_data, "big-copy.bin")].Run); // a copy of content the series holds
        Assert.True(second.PlaintextSize < 1_000, $"the 400 kB copy is referenced, not stored: {second.PlaintextSize} bytes stored");
        await AssertListingIsTheTreeAsync(second.RunKey!);
    }

    [Fact]
    public async Task Every_stored_entrys_offset_points_at_its_tar_header_in_the_archive()
    {
        await BackupAsync();
        File.AppendAllText(Path.Combine(_data, "docs", "deep", "b.txt"), "!");
        var second = await BackupAsync();

        foreach (var result in new[] { second })
        {
            var tar = DecryptedTar(result.ArchiveId!);
            var own = (await ListingAsync(result.RunKey!)).Values.Where(e => e.Run == result.RunKey).ToList();
            Assert.NotEmpty(own);
            foreach (var entry in own)
            {
                tar.Position = entry.Offset!.Value;
                using var reader = new TarReader(tar, leaveOpen: true);
                Assert.Equal(RestorePlanner.TarNameOf(entry), reader.GetNextEntry()!.Name);
            }
        }
    }

    [Fact]
    public async Task A_failed_run_is_never_a_base_and_FULL_EVERY_starts_a_new_chain()
    {
        var first = await BackupAsync();
        var failed = await BackupAsync(vault: new FailingVault(VaultFactory.Create(_world.Config), failArchives: true));
        Assert.Equal(RunStatus.Failed, failed.Status);
        var third = await BackupAsync();
        Assert.Equal(first.RunKey, third.Snapshot!.Base);

        var later = await BackupAsync(clock: new ShiftedClock(TimeSpan.FromDays(31))); // local: FULL_EVERY defaults to 30 days
        Assert.Equal("full", later.Snapshot!.Kind);
        Assert.Contains("FULL_EVERY", later.Snapshot.Reason, StringComparison.Ordinal);
        var forced = await BackupAsync(forceFull: true);
        Assert.Equal(("full", "--full was given"), (forced.Snapshot!.Kind, forced.Snapshot.Reason));
    }

    [Fact]
    public async Task Differential_runs_build_on_the_last_full_and_full_mode_stores_everything_every_time()
    {
        _world.Config = _world.Config with { BackupMode = "differential" };
        var full = await BackupAsync();
        File.AppendAllText(Path.Combine(_data, "docs", "a.txt"), "1");
        var d1 = await BackupAsync();
        File.AppendAllText(Path.Combine(_data, "new.txt"), "2");
        var d2 = await BackupAsync();
        Assert.Equal((full.RunKey, full.RunKey), (d1.Snapshot!.Base, d2.Snapshot!.Base));
        Assert.Contains(Path.Combine(_data, "docs", "a.txt"), (await _world.Log.ReadFilesAsync(d2.RunKey!, CancellationToken.None).ToListAsync()).Select(f => f.Path));
        await AssertListingIsTheTreeAsync(d2.RunKey!);

        _world.Config = _world.Config with { BackupMode = "full" };
        var again = await BackupAsync();
        Assert.Equal(("full", again.Snapshot!.Entries), (again.Snapshot.Kind, again.Snapshot.Stored));
    }

    [Fact]
    public async Task A_run_logged_before_snapshots_is_a_valid_base()
    {
        var old = await BackupAsync();
        LegacyRun.Make(_world.Config.JsonDatabase, old.RunKey!);

        var next = await BackupAsync();

        Assert.Equal(("incremental", old.RunKey), (next.Snapshot!.Kind, next.Snapshot.Base));
        Assert.Equal(0, next.FilesStored); // mtimes the old log kept in .NET ticks still match
        await AssertListingIsTheTreeAsync(next.RunKey!);
    }

    [Fact]
    public async Task A_catalog_that_could_not_be_stored_leaves_the_run_interrupted_until_resume_stores_it()
    {
        var run = await BackupAsync(vault: new FailingVault(VaultFactory.Create(_world.Config), failCatalogs: true));
        Assert.Equal(RunStatus.Interrupted, (await _world.Log.GetRunAsync(run.RunKey!, CancellationToken.None))!.Status);
        Assert.Contains("resume", run.Error, StringComparison.Ordinal);

        var results = await UploadResume.ResumeAsync(_world.Config, null, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(ResumeOutcome.Resumed, Assert.Single(results).Outcome);
        var record = (await _world.Log.GetRunAsync(run.RunKey!, CancellationToken.None))!;
        Assert.Equal(RunStatus.Succeeded, record.Status);
        Assert.NotNull(record.Snapshot!.CatalogArchiveId);
        Assert.Equal(run.RunKey, (await BackupAsync()).Snapshot!.Base);
    }

    [Fact]
    public async Task The_vault_copy_of_the_catalog_decrypts_to_the_local_copy_names_no_file_and_is_tamper_evident()
    {
        File.WriteAllText(Path.Combine(_data, "zebra-unicorn-7781.txt"), "distinctive");
        var run = await BackupAsync();
        var record = (await _world.Log.GetRunAsync(run.RunKey!, CancellationToken.None))!;
        var vaultCopy = _world.ArchiveFile(record.Snapshot!.CatalogArchiveId!);
        var key = PrivateKey.Load(_world.PrivateKeyPath, BackupWorld.Passphrase);

        using (var stream = File.OpenRead(vaultCopy))
        using (var reader = CatalogReader.OpenEncrypted(stream, key, vaultCopy))
        {
            Assert.Equal((await ListingAsync(run.RunKey!)).Keys, reader.Entries().Select(e => e.Path));
        }
        var name = Encoding.UTF8.GetBytes("zebra-unicorn");
        foreach (var file in Directory.EnumerateFiles(_world.Config.LocalVaultDir, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(name) < 0, $"{file} names a backed-up file outside the encryption");
        }
        var bytes = File.ReadAllBytes(vaultCopy);
        bytes[^40] ^= 1;
        File.WriteAllBytes(vaultCopy, bytes);
        using var tampered = new MemoryStream(bytes);
        Assert.Throws<ArchiveIntegrityException>(() => CatalogReader.OpenEncrypted(tampered, key, vaultCopy).Entries().ToList());
    }

    [Fact]
    public async Task A_run_later_snapshots_build_on_cannot_be_deleted_and_deleting_a_run_removes_its_catalog_too()
    {
        var first = await BackupAsync();
        File.AppendAllText(Path.Combine(_data, "new.txt"), "x");
        var second = await BackupAsync();

        var refused = await Assert.ThrowsAsync<AutoGlacierException>(() => RunDeletion.DeleteAsync(_world.Config, first.RunKey!, CancellationToken.None));
        Assert.Contains(second.RunKey!, refused.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(_world.ArchiveFile(first.ArchiveId!)));

        var catalogId = (await _world.Log.GetRunAsync(second.RunKey!, CancellationToken.None))!.Snapshot!.CatalogArchiveId!;
        await RunDeletion.DeleteAsync(_world.Config, second.RunKey!, CancellationToken.None);
        Assert.False(File.Exists(_world.ArchiveFile(catalogId)));
        await RunDeletion.DeleteAsync(_world.Config, first.RunKey!, CancellationToken.None);
        Assert.Equal("full", (await BackupAsync()).Snapshot!.Kind); // nothing usable is left to build on
    }

    [Theory]
    [InlineData("BACKUP_MODE", "\"weekly\"", "incremental, differential, full")]
    [InlineData("FULL_EVERY", "\"6 months\"", "180d")]
    [InlineData("CHANGE_DETECTION", "\"mtime\"", "metadata, content")]
    public void Bad_snapshot_settings_are_refused_with_what_is_allowed(string key, string value, string allowed)
    {
        var path = Path.Combine(_world.Root, "bad.json");
        File.WriteAllText(path, $$"""{ "PUBL_RSA_KEY_PATH": "{{_world.PublicKeyPath}}", "{{key}}": {{value}} }""");
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.LoadFile(path));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
    }

    private async Task<BackupResult> BackupAsync(IVault? vault = null, TimeProvider? clock = null, bool forceFull = false)
    {
        var result = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => _world.Config,
            Files = [_data],
            RecurseDirectories = true,
            Description = "snapshot test",
            JobName = "snapshots",
            Vault = vault,
            Clock = clock ?? TimeProvider.System,
            ForceFull = forceFull,
            Logger = NullLogger.Instance,
        }, CancellationToken.None);
        Assert.NotNull(result.RunKey);
        return result;
    }

    private async Task<Dictionary<string, CatalogEntry>> ListingAsync(string runKey)
    {
        var runs = (await _world.Log.ListRunsAsync(CancellationToken.None)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        return SnapshotCatalogs.Listing(_world.Config.JsonDatabase, SnapshotCatalogs.ChainOf(runKey, runs))()
            .ToDictionary(e => e.Path, StringComparer.Ordinal);
    }

    /// <summary>The snapshot's complete listing has exactly the tree's entries, with their type, content, mode and link target.</summary>
    private async Task AssertListingIsTheTreeAsync(string runKey)
    {
        var listing = await ListingAsync(runKey);
        var tree = new[] { _data }.Concat(Directory.EnumerateFileSystemEntries(_data, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(tree, listing.Keys.Order(StringComparer.Ordinal).ToList());
        foreach (var path in tree)
        {
            var entry = listing[path];
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                Assert.Equal((EntryType.Symlink, target), (entry.Type, entry.Link));
                continue;
            }
            Assert.Equal((int)File.GetUnixFileMode(path), entry.Mode! & 0xFFF);
            Assert.Equal(Directory.Exists(path) ? EntryType.Directory : EntryType.File, entry.Type);
            if (entry.Type == EntryType.File) { Assert.Equal(Sha256Of(path), entry.Sha256); }
            Assert.NotNull(entry.Archive);
            Assert.NotEqual(CatalogEntry.ThisArchive, entry.Archive);
        }
    }

    private MemoryStream DecryptedTar(string archiveId)
    {
        using var stored = File.OpenRead(_world.ArchiveFile(archiveId));
        using var decrypted = ArchiveEncryption.CreateDecryptor(stored, PrivateKey.Load(_world.PrivateKeyPath, BackupWorld.Passphrase));
        using var tar = CodecRegistry.Create("zstd", new CompressionSettings(null, 1)).CreateDecompressor(decrypted, leaveOpen: false);
        var plain = new MemoryStream();
        tar.CopyTo(plain);
        return plain;
    }


    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The system clock moved ahead (FULL_EVERY is measured with the request's clock).</summary>
    private sealed class ShiftedClock(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + by;
    }

    /// <summary>A vault whose archive or catalog uploads fail, to make runs fail or stop before their catalog is stored.</summary>
    private sealed class FailingVault(IVault inner, bool failArchives = false, bool failCatalogs = false) : IVault
    {
        public string BackendName => inner.BackendName;
        public VaultCapabilities Capabilities => inner.Capabilities;
        public string Location => inner.Location;

        public Task<IArchiveUpload> BeginUploadAsync(ArchiveUploadInfo info, CancellationToken cancellationToken) =>
            (info.Kind == VaultObjectKind.Catalog ? failCatalogs : failArchives)
                ? throw new IOException($"test: the vault refuses this {info.Kind}")
                : inner.BeginUploadAsync(info, cancellationToken);

        public Task<RetrievalState> RequestRetrievalAsync(string archiveId, RetrievalRequest request, CancellationToken cancellationToken) =>
            inner.RequestRetrievalAsync(archiveId, request, cancellationToken);

        public Task<Stream> OpenReadAsync(string archiveId, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(archiveId, offset, cancellationToken);

        public IAsyncEnumerable<VaultArchive> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public Task DeleteAsync(string archiveId, CancellationToken cancellationToken) => inner.DeleteAsync(archiveId, cancellationToken);
    }
}
