using System.Formats.Tar;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Restore;

/// <summary>
/// The part restore and verify share: find the run, make the archive readable (waiting for a cold retrieval unless
/// told not to), stream every entry through a handler, then check the stored archive's size, SHA-256 and tree hash
/// and every file's SHA-256 against the log (or the archive's manifest). The vault is the caller's own when given,
/// else the one the configuration's BACKEND names.
/// </summary>
internal sealed class ArchiveWalk(GteuConfig config, IVault? givenVault, RunSelector selector, RetrievalOptions retrieval, ILogger logger,
    IProgress<RestoreProgress>? progress = null)
{
    private readonly List<string> _problems = [];


    /// <summary>
    /// Handles one tar entry and returns the SHA-256 of a regular file's content (or null). <paramref name="expectedHash"/>
    /// is the hash the log records for it, when known before the entry is read.
    /// </summary>
    public delegate Task<string?> EntryHandler(TarEntry entry, string? expectedHash, CancellationToken cancellationToken);

    public async Task<RestoreResult> RunAsync(PrivateKey? key, Func<TarEntry, bool> include, bool wholeArchive,
        EntryHandler handle, CancellationToken cancellationToken)
    {
        var log = new JsonRunLog(config.JsonDatabase);
        var (runKey, record) = await selector.ResolveAsync(log, cancellationToken).ConfigureAwait(false);
        var archiveId = record?.ArchiveId ?? selector.ArchiveId!;
        var vault = givenVault ?? VaultFactory.Create(config);
        using var tracker = new RestoreProgressTracker(progress);
        await new RetrievalWaiter(config, retrieval, logger, tracker.Waiting).EnsureReadableAsync(vault, log, runKey, record, archiveId, cancellationToken)
            .ConfigureAwait(false);
        var expected = new ExpectedHashes(_problems, config.TmpDir);
        if (runKey is not null && key is not null) { await expected.LoadFromLogAsync(log, runKey, cancellationToken).ConfigureAwait(false); }
        if (record is null && key is null)
        {
            throw new AutoGlacierException($"Archive {archiveId} is not in the log {log.Path}, so without --private-key there is " +
                "nothing to check it against. Pass --private-key to check every file against the archive's own manifest.");
        }
        var (entries, bytes) = (0, 0L);
        await using (var reader = await ArchiveReader.OpenAsync(vault, archiveId, key, cancellationToken).ConfigureAwait(false))
        {
            tracker.StartReading(() => reader.ArchiveBytesRead, record?.ArchiveSize, wholeArchive ? record?.FilesStored : null);
            if (reader.Tar is not null)
            {
                (entries, bytes) = await WalkEntriesAsync(reader.Tar, expected, include, handle, tracker, cancellationToken).ConfigureAwait(false);
                if (wholeArchive) { expected.ReportMissing(); }
            }
            var (size, sha, tree) = await reader.FinishAsync(cancellationToken).ConfigureAwait(false);
            tracker.Done();
            CompareArchive(record, archiveId, size, sha, tree);
        }
        return new RestoreResult
        {
            RunKey = runKey, ArchiveId = archiveId, EntriesProcessed = entries, Bytes = bytes,
            FilesVerified = expected.Verified, Problems = _problems.ToList(),
        };
    }

    /// <summary>Everything that went wrong so far (the seed's archive walk adds to the same list).</summary>
    internal List<string> Problems => _problems;

        internal async Task<(int Entries, long Bytes)> WalkEntriesAsync(TarReader tar, ExpectedHashes expected,
        Func<TarEntry, bool> include, EntryHandler handle, RestoreProgressTracker tracker, CancellationToken cancellationToken)
    {
        var (entries, bytes) = (0, 0L);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            if (IsManifest(entry.Name))
            {
                await expected.LoadFromManifestAsync(entry.DataStream ?? Stream.Null, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (SnapshotManifest.IsCatalog(entry.Name)) { continue; } // the snapshot's listing: restore plans use the local copy
            if (!include(entry)) { continue; }
            entries++;
            expected.MarkSeen(entry.Name);
            tracker.Entry(entry.Name);
            try
            {
                var hash = await handle(entry, expected.Expected(entry.Name), cancellationToken).ConfigureAwait(false);
                tracker.EntryDone(hash is null ? 0 : entry.Length);
                if (hash is null) { continue; }
                bytes += entry.Length;
                expected.Check(entry.Name, hash);
            }
            catch (Exception ex) when (IsEntryProblem(ex))
            {
                _problems.Add(ex.Message);
                logger.LogError("{Problem}", ex.Message);
            }
        }
        return (entries, bytes);
    }

    /// <summary>True for an error that spoils one entry only (the walk goes on); a damaged archive or a wrong key ends it.</summary>
    internal static bool IsEntryProblem(Exception ex) =>
        ex is UnsafeEntryException or RestoreEntryException or UnauthorizedAccessException || (ex is IOException && ex is not ArchiveIntegrityException);

    internal static bool IsManifest(string entryName) =>
        entryName.StartsWith(".autoglacier/manifest-", StringComparison.Ordinal) && entryName.EndsWith(".json", StringComparison.Ordinal);

    internal void CompareArchive(RunRecord? record, string archiveId, long size, string sha, string tree) =>
        CompareArchive(_problems, record, archiveId, size, sha, tree);

    /// <summary>Adds to <paramref name="problems"/> every way the archive read differs from what <paramref name="record"/> says.</summary>
    internal static void CompareArchive(List<string> problems, RunRecord? record, string archiveId, long size, string sha, string tree)
    {
        if (record is null) { return; } // nothing recorded to compare with; file hashes came from the manifest
        if (record.ArchiveSize is { } expectedSize && expectedSize != size)
        {
            problems.Add($"archive {archiveId} is {size} bytes, the log says {expectedSize}");
        }
        if (record.ArchiveSha256 is { } expectedSha && expectedSha != sha)
        {
            problems.Add($"archive {archiveId} has SHA-256 {sha}, the log says {expectedSha}");
        }
        if (record.ArchiveTreeHash is { } expectedTree && expectedTree != tree)
        {
            problems.Add($"archive {archiveId} has tree hash {tree}, the log says {expectedTree}");
        }
    }
}
