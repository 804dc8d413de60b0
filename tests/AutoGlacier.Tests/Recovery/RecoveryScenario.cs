using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Recovery;
using AutoGlacier.Restore;
using AutoGlacier.Snapshots;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Recovery;

/// <summary>
/// What the recover tests share: catalogs made the way the snapshot pipeline will (a local catalog written with
/// <see cref="LocalCatalogFile"/>, its encrypted copy uploaded beside the run's archive as a catalog), the loss of
/// the backup machine's state, and the checks that the recovered log and catalogs are what was lost.
/// </summary>
internal static class RecoveryScenario
{
    /// <summary>
    /// Backs up <paramref name="source"/> with an ordinary (snapshot) run, which stores its catalog beside the log and
    /// in <paramref name="vault"/>; returns the run key, the catalog's vault id and the local catalog's bytes.
    /// </summary>
    public static async Task<(string RunKey, string CatalogId, byte[] Catalog)> BackUpWithCatalogAsync(BackupWorld world, IVault vault, string source)
    {
        BackupResult backup = await world.BackupAsync([source]);
        Assert.Equal(RunStatus.Succeeded, backup.Status);
        RunRecord record = (await world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!;
        Assert.Equal(vault.Location, record.VaultLocation);
        string path = LocalCatalogFile.PathFor(world.Log.Path, backup.RunKey!);
        return (backup.RunKey!, record.Snapshot!.CatalogArchiveId!, File.ReadAllBytes(path));
    }

    /// <summary>Uploads the encrypted copy of the local catalog at <paramref name="path"/> as <paramref name="runKey"/>'s catalog, altered by <paramref name="damage"/>.</summary>
    public static async Task<string> UploadCatalogAsync(IVault vault, string runKey, string path, IReadOnlyList<RecipientKey> recipients,
        Func<byte[], byte[]>? damage = null)
    {
        var encrypted = new MemoryStream();
        await LocalCatalogFile.EncryptAsync(path, encrypted, recipients, CancellationToken.None);
        byte[] bytes = (damage ?? (b => b))(encrypted.ToArray());
        await using IArchiveUpload upload = await vault.BeginUploadAsync(new ArchiveUploadInfo(runKey, "test backup") { Kind = VaultObjectKind.Catalog },
            CancellationToken.None);
        await upload.Content.WriteAsync(bytes);
        return (await upload.CompleteAsync(CancellationToken.None)).ArchiveId;
    }

    /// <summary>The runs of the log with their file lists, as they are before the machine is lost.</summary>
    public static async Task<Dictionary<string, (RunRecord Record, List<FileRecord> Files)>> SnapshotLogAsync(JsonRunLog log)
    {
        var runs = new Dictionary<string, (RunRecord, List<FileRecord>)>();
        foreach (var (key, record) in await log.ListRunsAsync(CancellationToken.None))
        {
            runs[key] = (record, await log.ReadFilesAsync(key, CancellationToken.None).ToListAsync());
        }

        return runs;
    }

    /// <summary>The backup machine is lost: its log and local catalogs are gone.</summary>
    public static void LoseTheMachine(BackupWorld world)
    {
        File.Delete(world.Log.Path);
        Directory.Delete(LocalCatalogFile.DirectoryFor(world.Log.Path), recursive: true);
    }

    public static Task<RecoveryResult> RecoverAsync(BackupWorld world, RetrievalOptions? retrieval = null, IVault? vault = null) =>
        RecoveryRunner.RunAsync(new RecoveryRequest
        {
            Config = world.Config,
            PrivateKeyPath = world.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase,
            Retrieval = retrieval ?? new RetrievalOptions(),
            Vault = vault,
            Logger = NullLogger.Instance,
        }, CancellationToken.None);

    /// <summary>
    /// The recovered run is the lost one as far as the vault can tell: succeeded, same start, archive and size, the same
    /// stored files with the same SHA-256s, its catalog named, marked recovered; and the local catalog is byte-identical.
    /// </summary>
    public static async Task AssertRecoveredAsync(BackupWorld world, string runKey, string catalogId, byte[] catalog, (RunRecord Record, List<FileRecord> Files) lost)
    {
        RunRecord record = (await world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal(RunStatus.Succeeded, record.Status);
        Assert.Equal(lost.Record.StartedAt, record.StartedAt);
        Assert.Equal((lost.Record.ArchiveId, lost.Record.ArchiveSize, lost.Record.Backend, lost.Record.VaultLocation),
            (record.ArchiveId, record.ArchiveSize, record.Backend, record.VaultLocation));
        Assert.Equal(lost.Record.FilesStored, record.FilesStored);
        Assert.Equal((lost.Record.Snapshot?.Kind ?? "full", catalogId), (record.Snapshot!.Kind, record.Snapshot.CatalogArchiveId));
        Assert.True(record.Snapshot.CatalogSize > catalog.Length, "the vault copy is the encrypted catalog: larger than the plain one");
        Assert.Equal(catalogId, record.BackendState[RecoveredRunRecord.RecoveredFromKey]);
        Assert.True(DateTimeOffset.TryParse(record.BackendState[RecoveredRunRecord.RecoveredAtKey], out _));

        var files = await world.Log.ReadFilesAsync(runKey, CancellationToken.None).ToListAsync();
        Assert.Equal(Stored(lost.Files), Stored(files));
        Assert.Equal(catalog, File.ReadAllBytes(LocalCatalogFile.PathFor(world.Log.Path, runKey)));
    }

    /// <summary>No file name or content of <paramref name="directory"/> (the vault's storage) contains <paramref name="secret"/>.</summary>
    public static void AssertNowhereIn(string directory, string secret)
    {
        byte[] needle = System.Text.Encoding.UTF8.GetBytes(secret);
        foreach (string path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(secret, path, StringComparison.Ordinal);
            Assert.True(File.ReadAllBytes(path).AsSpan().IndexOf(needle) < 0, $"{path} holds '{secret}'");
        }
    }

    private static List<(string Path, string? ArchiveName, string Type, string? Hash, long? Size, DateTimeOffset? Mtime, int? Mode, string? Link)> Stored(
        IEnumerable<FileRecord> files) =>
        files.Where(f => f.Status is FileStatus.Stored or FileStatus.ChangedWhileRead)
            .Select(f => (f.Path, f.ArchiveName, f.Type, f.Hash, f.Type == "file" ? f.Size : null, f.Mtime, f.Mode, f.LinkTarget))
            .OrderBy(f => f.Path, StringComparer.Ordinal).ToList();

    /// <summary>Restores and verifies the recovered run by its key, as a user would after recovering.</summary>
    public static async Task AssertRestorableAsync(BackupWorld world, string runKey, string source, RetrievalOptions? retrieval = null)
    {
        string target = world.NewDirectory("restored-" + runKey.Replace('.', '_'));
        RestoreResult restore = await world.RestoreAsync(new RunSelector { RunKey = runKey }, target, retrieval: retrieval);
        Assert.Empty(restore.Problems);
        TreeAssert.Identical(source, target);
        RestoreResult verify = await VerifyRunner.RunAsync(world.Config, new RunSelector { RunKey = runKey }, world.PrivateKeyPath, BackupWorld.Passphrase,
            retrieval ?? new RetrievalOptions(), NullLogger.Instance, CancellationToken.None);
        Assert.Empty(verify.Problems);
        Assert.True(verify.FilesVerified > 0);
    }
}
