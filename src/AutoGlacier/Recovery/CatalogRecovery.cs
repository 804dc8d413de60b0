using System.Security.Cryptography;
using AutoGlacier.Encryption;
using AutoGlacier.Gathering;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Streams;
using AutoGlacier.Vaults;

namespace AutoGlacier.Recovery;

/// <summary>
/// Turns one readable vault catalog into a run of the log: decrypts it to a hidden file beside the local catalogs,
/// reads it whole (which checks its order, counts and trailer), renames it to <c>LOG.catalogs/RUNKEY.catalog.zst</c>,
/// then writes the run record with the files the run stored. For a run the log already has (whose local catalog
/// was lost) only the local catalog is written, after checking it is the one the run recorded. A catalog that
/// fails any check leaves nothing behind.
/// </summary>
internal sealed class CatalogRecovery(IVault vault, PrivateKey key, JsonRunLog log, RecoveredRunRecord records, IReadOnlyList<VaultArchive> listing,
    string tmpDir)
{
    /// <summary>
    /// Recovers the run of <paramref name="catalog"/>, or only its local catalog when the log has the run
    /// (<paramref name="logged"/>); returns why not when the catalog cannot be used.
    /// </summary>
    public async Task<RecoveryProblem?> RecoverAsync(VaultArchive catalog, RunRecord? logged, CancellationToken cancellationToken)
    {
        string runKey = catalog.RunKey!;
        string directory = LocalCatalogFile.DirectoryFor(log.Path);
        Directory.CreateDirectory(directory);
        string partial = Path.Combine(directory, $".recover-{Guid.NewGuid():N}.partial");
        try
        {
            await DecryptAsync(catalog.ArchiveId, partial, cancellationToken).ConfigureAwait(false);
            using var files = new FileRecordSpool(tmpDir);
            (CatalogHeader header, CatalogCounts counts) = Read(partial, runKey, files);
            if (header.Run != runKey)
            {
                return Problem(catalog, $"it describes run {header.Run}, but the vault files it under run {runKey}; it was not used");
            }

            string sha256 = Sha256Of(partial);
            if (logged is not null)
            {
                return RestoreLocal(catalog, partial, logged, sha256);
            }

            if (ArchiveOf(runKey, counts.ArchiveId) is not { } archive)
            {
                return Problem(catalog, counts.ArchiveId is null
                    ? $"the vault holds no archive of run {runKey} (or several, and the catalog does not say which); the run cannot be restored"
                    : $"its archive {counts.ArchiveId} is not in the vault listing (nor is exactly one other archive of the run); the run cannot be restored");
            }

            if (CommitLocal(partial, LocalCatalogFile.PathFor(log.Path, runKey), sha256) is { } conflict)
            {
                return Problem(catalog, conflict);
            }

            RunRecord record = records.Build(header, counts, archive, catalog, sha256);
            await log.CompleteRunAsync(runKey, record, files, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is ArchiveIntegrityException or WrongKeyException or CatalogException)
        {
            return Problem(catalog, ex.Message);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Puts back the lost local catalog of a run the log has, when it is the catalog that run recorded.</summary>
    private RecoveryProblem? RestoreLocal(VaultArchive catalog, string partial, RunRecord logged, string sha256)
    {
        if (logged.Snapshot?.CatalogSha256 is { } recorded && recorded != sha256)
        {
            return Problem(catalog, $"its SHA-256 {sha256} differs from the one the log records for the run ({recorded}); the local catalog was not written");
        }

        return CommitLocal(partial, LocalCatalogFile.PathFor(log.Path, catalog.RunKey!), sha256) is { } conflict ? Problem(catalog, conflict) : null;
    }

    private async Task DecryptAsync(string catalogId, string partial, CancellationToken cancellationToken)
    {
        Stream encrypted = await vault.OpenReadAsync(catalogId, 0, cancellationToken).ConfigureAwait(false);
        await using (encrypted.ConfigureAwait(false))
        {
            Stream plain = ArchiveEncryption.CreateDecryptor(encrypted, key, leaveOpen: true);
            await using (plain.ConfigureAwait(false))
            {
                // Owner-only, like the log: a catalog names every backed-up file.
                var file = new FileStream(partial, NewFileOptions.Create(FileAccess.Write, 1 << 16, NewFileOptions.Private));
                await using (file.ConfigureAwait(false))
                {
                    await plain.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }
            }
        }
    }

    /// <summary>Reads the whole catalog (a damaged one throws <see cref="CatalogException"/>), spooling the run's own files.</summary>
    private static (CatalogHeader Header, CatalogCounts Counts) Read(string path, string runKey, FileRecordSpool files)
    {
        using CatalogReader reader = CatalogReader.OpenFile(path);
        var counts = new CatalogCounts();
        foreach (CatalogEntry entry in reader.Entries())
        {
            counts.Add(entry, runKey);
            if (FileOf(entry, runKey) is { } file)
            {
                files.Append(file);
            }
        }

        return (reader.Header, counts);
    }

    /// <summary>
    /// The run's file-list line for a catalog entry: what the run stored in its own archive (with its SHA-256, so
    /// restore and verify check it), and the paths it removed; entries whose bytes other runs hold are not the run's.
    /// </summary>
    private static FileRecord? FileOf(CatalogEntry entry, string runKey)
    {
        if (entry.IsRemoval)
        {
            return new FileRecord { Path = entry.Path, Type = TypeName(entry.Type), Status = FileStatus.Removed };
        }

        if (entry.Run != runKey)
        {
            return null;
        }

        return new FileRecord
        {
            Path = entry.Path,
            ArchiveName = GatheredEntry.ToArchiveName(entry.Path),
            Type = TypeName(entry.Type),
            Size = entry.Type == EntryType.File ? entry.Size : null,
            Mtime = entry.MtimeNs is { } ns ? DateTimeOffset.UnixEpoch.AddTicks(ns / 100) : null,
            Mode = entry.Mode,
            Hash = entry.Sha256,
            LinkTarget = entry.Link,
            Status = FileStatus.Stored,
        };
    }

    private static string TypeName(EntryType type) => type switch
    {
        EntryType.Directory => "directory",
        EntryType.Symlink => "symlink",
        _ => "file",
    };

    /// <summary>
    /// The run's archive: the one its catalog names, else the only archive the vault files under the run. A catalog
    /// names the id its archive had when the run was made; after <c>migrate</c> the archive and the catalog (copied
    /// byte for byte) are in another vault, where the archive has another id, so the run's only archive there is it.
    /// </summary>
    private VaultArchive? ArchiveOf(string runKey, string? named)
    {
        var archives = listing.Where(a => a.Kind == VaultObjectKind.Archive && a.RunKey == runKey).ToList();
        return archives.FirstOrDefault(a => a.ArchiveId == named) ?? (archives.Count == 1 ? archives[0] : null);
    }

    /// <summary>
    /// Renames the checked catalog into place. A catalog already there (an earlier recover stopped before the log was
    /// written) is kept when it is the same; a different one is never overwritten.
    /// </summary>
    private static string? CommitLocal(string partial, string final, string sha256)
    {
        try
        {
            File.Move(partial, final, overwrite: false);
            return null;
        }
        catch (IOException) when (File.Exists(final))
        {
            return Sha256Of(final) == sha256 ? null
                : $"a different local catalog of the run is already at {final}; move it away and run recover again";
        }
    }

    private static string Sha256Of(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    private static RecoveryProblem Problem(VaultArchive catalog, string reason) =>
        new(catalog.RunKey, catalog.ArchiveId, $"catalog {catalog.ArchiveId} of run {catalog.RunKey} was skipped: {reason}");
}

/// <summary>What a run's catalog says about the run, counted while it is read.</summary>
internal sealed class CatalogCounts
{
    /// <summary>Catalog lines (removal marks included).</summary>
    public long Lines { get; private set; }

    /// <summary>Removal marks.</summary>
    public long Removed { get; private set; }

    /// <summary>Entries whose bytes are in this run's archive.</summary>
    public long Stored { get; private set; }

    /// <summary>Entries listed anew whose bytes an earlier run's archive holds.</summary>
    public long Referenced { get; private set; }

    /// <summary>Bytes of the regular files stored in this run's archive.</summary>
    public long StoredBytes { get; private set; }

    /// <summary>The archive id the catalog gives for this run's bytes (null when the run stored nothing).</summary>
    public string? ArchiveId { get; private set; }

    public void Add(CatalogEntry entry, string runKey)
    {
        Lines++;
        if (entry.IsRemoval)
        {
            Removed++;
        }
        else if (entry.Run == runKey)
        {
            Stored++;
            StoredBytes += entry.Type == EntryType.File ? entry.Size ?? 0 : 0;
            ArchiveId ??= entry.Archive;
        }
        else
        {
            Referenced++;
        }
    }
}
