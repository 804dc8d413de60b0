using AutoGlacier.Encryption;
using AutoGlacier.Hashing;
using AutoGlacier.Log;
using AutoGlacier.Streams;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Migration;

/// <summary>One object of a run to move, as the log describes it: the archive, or the run's snapshot catalog.</summary>
/// <param name="Id">Its id in the vault it is read from.</param>
/// <param name="Kind">Archive or catalog (the S3 key, storage class and metadata follow it).</param>
/// <param name="Size">Bytes the log records (null: unknown).</param>
/// <param name="Sha256">SHA-256 the log records (null: none, as for the seed's archives and for catalogs, whose encrypted copy's hash is not logged).</param>
/// <param name="TreeHash">Glacier tree hash the log records (null: none).</param>
/// <param name="Keys">Where its move and retrieval are kept in the run's backend state.</param>
internal sealed record MovedObject(string Id, VaultObjectKind Kind, long? Size, string? Sha256, string? TreeHash, TransferKeys Keys)
{
    /// <summary>The run's archive.</summary>
    public static MovedObject ArchiveOf(RunRecord record) =>
        new(record.ArchiveId!, VaultObjectKind.Archive, record.ArchiveSize, record.ArchiveSha256, record.ArchiveTreeHash, TransferKeys.Archive);

    /// <summary>The run's snapshot catalog (the encrypted copy in the vault, moved byte for byte).</summary>
    public static MovedObject CatalogOf(RunRecord record) =>
        new(record.Snapshot!.CatalogArchiveId!, VaultObjectKind.Catalog, record.Snapshot.CatalogSize, null, null, TransferKeys.Catalog);

    /// <summary>What it is called in messages.</summary>
    public string Name => Kind == VaultObjectKind.Catalog ? "catalog" : "archive";
}

/// <summary>
/// Moves one archive (or catalog), still encrypted, from a readable Glacier vault into an S3 multipart upload as it downloads.
/// Each part goes to a spool in TMP_DIR and to S3, and S3's acknowledgement goes into the run's log; after a kill the
/// next run keeps the whole parts in the spool, downloads only from where the spool ends (a ranged download) and
/// sends only parts the log does not record. The upload completes only after the spool's size, SHA-256 and tree hash
/// match the log; the spool is deleted after.
/// </summary>
internal sealed class ArchiveTransfer(JsonRunLog log, string runKey, MovedObject moved, IVault source, IMultipartBackend target, string tmpDir,
    IProgress<MigrationProgress>? progress)
{
    private long _downloaded;
    private int _uploaded;

    /// <summary>Bytes read from the vault by this transfer.</summary>
    public long BytesDownloaded => _downloaded;

    /// <summary>Parts sent to S3 by this transfer.</summary>
    public int PartsUploaded => _uploaded;

    /// <summary>Moves the object of <paramref name="record"/> and returns it stored in S3 with its hashes.</summary>
    /// <exception cref="ArchiveIntegrityException">The bytes read do not match the log; the upload is aborted.</exception>
    public async Task<(StoredArchive Stored, string Sha256, string TreeHash)> RunAsync(RunRecord record, CancellationToken cancellationToken)
    {
        var info = new ArchiveUploadInfo(runKey, record.Description) { Kind = moved.Kind };
        var state = MigrationState.From(record, moved.Keys) ?? await StartAsync(info, cancellationToken).ConfigureAwait(false);
        string suffix = moved.Kind == VaultObjectKind.Catalog ? ".catalog" : "";
        string spoolPath = Path.Combine(tmpDir, $"autoglacier-migrate-{string.Concat(runKey.Split(Path.GetInvalidFileNameChars()))}{suffix}.spool");
        Directory.CreateDirectory(tmpDir);
        long size;
        var spoolOptions = NewFileOptions.Create(FileAccess.ReadWrite, 0, NewFileOptions.Private);
        spoolOptions.Mode = FileMode.OpenOrCreate; // a resume continues the spool a killed run left
        await using (var spool = new FileStream(spoolPath, spoolOptions))
        {
            // Keep whole parts only: a part cut short by the kill is fetched again.
            spool.SetLength(spool.Length / state.PartSize * state.PartSize);
            (state, size) = await CopyPartsAsync(state, spool, spool.Length, cancellationToken).ConfigureAwait(false);
        }
        var (sha, tree) = await CheckAsync(spoolPath, size, state, cancellationToken).ConfigureAwait(false);
        var stored = await target.FindStoredAsync(state.Target, info, size, cancellationToken).ConfigureAwait(false)
            ?? await target.CompleteAsync(state.Ticket, state.Parts.Values.OrderBy(p => p.Index).ToList(), size, cancellationToken).ConfigureAwait(false);
        if (await target.FindStoredAsync(state.Target, info, size, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new AutoGlacierException($"The S3 copy of run {runKey}'s {moved.Name} ({stored.Location}) is not there with {size} bytes after completing; the vault copy is kept. Run migrate again.");
        }
        File.Delete(spoolPath);
        return (stored, sha, tree);
    }

    private async Task<MigrationState> StartAsync(ArchiveUploadInfo info, CancellationToken cancellationToken)
    {
        string key = target.NewTarget(info);
        var ticket = await target.InitiateAsync(key, info, cancellationToken).ConfigureAwait(false);
        var state = new MigrationState(ticket.UploadId, ticket.Target, ticket.PartSize, new Dictionary<int, UploadedPart>()) { Keys = moved.Keys };
        await SaveAsync(state, cancellationToken).ConfigureAwait(false);
        return state;
    }

    private async Task<(MigrationState State, long Size)> CopyPartsAsync(MigrationState state, FileStream spool,
        long spooled, CancellationToken cancellationToken)
    {
        var parts = new Dictionary<int, UploadedPart>(state.Parts);
        byte[] buffer = GC.AllocateUninitializedArray<byte>(checked((int)state.PartSize));
        Stream? download = null;
        try
        {
            for (int index = 0; ; index++)
            {
                long start = index * state.PartSize;
                int length;
                if (start < spooled)
                {
                    length = (int)Math.Min(state.PartSize, spooled - start);
                    await RandomAccess.ReadAsync(spool.SafeFileHandle, buffer.AsMemory(0, length), start, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    download ??= await source.OpenReadAsync(moved.Id, start, cancellationToken).ConfigureAwait(false);
                    length = await download.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    if (length == 0 && index > 0) { break; }
                    await RandomAccess.WriteAsync(spool.SafeFileHandle, buffer.AsMemory(0, length), start, cancellationToken).ConfigureAwait(false);
                    spool.Flush(flushToDisk: true); // the part is durable before S3 is asked to store it
                    spooled += length;
                    _downloaded += length;
                }
                if (!parts.TryGetValue(index, out var held) || held.Length != length)
                {
                    parts[index] = await target.UploadPartAsync(state.Ticket, index, buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                    _uploaded++;
                    state = state with { Parts = new Dictionary<int, UploadedPart>(parts) };
                    await SaveAsync(state, cancellationToken).ConfigureAwait(false);
                }
                progress?.Report(new MigrationProgress(runKey, moved.Size ?? -1, _downloaded, _uploaded) { Kind = moved.Kind });
                if (length < state.PartSize) { break; }
            }
        }
        finally
        {
            if (download is not null) { await download.DisposeAsync().ConfigureAwait(false); }
        }
        return (state with { Parts = parts.Where(p => p.Key * state.PartSize < Math.Max(spooled, 1)).ToDictionary() }, spooled);
    }

    /// <summary>The spool against the log: size, SHA-256 (when recorded: the seed recorded none) and tree hash.</summary>
    private async Task<(string Sha256, string TreeHash)> CheckAsync(string spoolPath, long spooled, MigrationState state,
        CancellationToken cancellationToken)
    {
        string sha, tree;
        await using (var hashing = new ArchiveHashingStream(File.OpenRead(spoolPath), leaveOpen: false))
        {
            await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            (sha, tree) = hashing.GetHashes();
        }
        string? problem = moved.Size is { } size && size != spooled ? $"{spooled} bytes where the log says {size}"
            : moved.Sha256 is { } s && s != sha ? $"SHA-256 {sha} where the log says {s}"
            : moved.TreeHash is { } t && t != tree ? $"tree hash {tree} where the log says {t}"
            : null;
        if (problem is not null)
        {
            await target.AbortAsync(state.Ticket, cancellationToken).ConfigureAwait(false);
            File.Delete(spoolPath);
            var cleared = await log.GetRunAsync(runKey, cancellationToken).ConfigureAwait(false);
            if (cleared is not null)
            {
                await log.UpdateRunAsync(runKey, cleared with { BackendState = moved.Keys.Cleared(cleared.BackendState) }, cancellationToken).ConfigureAwait(false);
            }
            throw new ArchiveIntegrityException($"The {moved.Name} {moved.Id} of run {runKey} read from the vault has {problem}; " +
                "nothing was stored in S3 and the vault copy is kept. Run migrate again (a new retrieval), or verify the run.");
        }
        return (sha, tree);
    }

    /// <summary>Writes the state into the run as the log holds it now (a retrieval may have been recorded meanwhile).</summary>
    private async Task SaveAsync(MigrationState state, CancellationToken cancellationToken)
    {
        var current = await log.GetRunAsync(runKey, cancellationToken).ConfigureAwait(false)
            ?? throw new AutoGlacierException($"Run {runKey} disappeared from the log {log.Path} while it was being moved.");
        await log.UpdateRunAsync(runKey, state.WriteTo(current), cancellationToken).ConfigureAwait(false);
    }
}
