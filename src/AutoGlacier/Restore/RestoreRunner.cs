using AutoGlacier.Encryption;
using AutoGlacier.Gathering;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Restore;

/// <summary>
/// Restores a run: vault → decrypt → decompress → extract under the target directory, restoring mode and mtime,
/// (for a snapshot run: its complete file set from the archives of its chain, see <see cref="SnapshotRestore"/>),
/// verifying every file's SHA-256 and the archive's hashes, refusing entries that would land outside the directory.
/// </summary>
public static class RestoreRunner
{
    /// <summary>Runs a restore. Problems with single entries are collected; a damaged archive or a wrong key ends it.</summary>
    public static async Task<RestoreResult> RunAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await Migration.Seed.SeedRestore.TryRestoreAsync(request, cancellationToken).ConfigureAwait(false) is { } seedRun) { return seedRun; }
        using var key = new BackgroundKey(request.PrivateKeyPath, request.Passphrase);
        var paths = new SafeTargetPath(request.TargetDirectory);
        Directory.CreateDirectory(paths.Root);
        var extractor = new EntryExtractor(paths, request.Overwrite, request.SkipExternalSymlinks);
        var result = await ReadAsync(request, key, paths, extractor, cancellationToken).ConfigureAwait(false);
        extractor.ApplyDirectoryMetadata();
        result = result with { SkippedSymlinks = extractor.SkippedSymlinks };
        if (result.SkippedSymlinks.Count > 0)
        {
            request.Logger.LogWarning("Left out {Count} symlink(s) pointing outside {Dir}, as asked (e.g. '{First}')",
                result.SkippedSymlinks.Count, paths.Root, result.SkippedSymlinks[0]);
        }
        request.Logger.LogInformation("Restored {Entries} entries ({Bytes} bytes, {Verified} files verified) of run {RunKey} into {Dir}; {Problems} problem(s)",
            result.EntriesProcessed, result.Bytes, result.FilesVerified, result.RunKey, paths.Root, result.Problems.Count);
        return result;
    }

    /// <summary>A snapshot run from the archives of its chain, with each entry's metadata from the catalog; anything else as one archive.</summary>
    private static async Task<RestoreResult> ReadAsync(RestoreRequest request, BackgroundKey key, SafeTargetPath paths, EntryExtractor extractor,
        CancellationToken cancellationToken)
    {
        if (await SnapshotRestore.TryOpenAsync(request.Config, request.Vault, request.Selector, request.Retrieval, request.Logger, request.Progress,
                cancellationToken).ConfigureAwait(false) is { } snapshot)
        {
            return await snapshot.RunAsync(key.Key, request.Include, new ExtractingSink(extractor, paths), cancellationToken).ConfigureAwait(false);
        }
        var walk = new ArchiveWalk(request.Config, request.Vault, request.Selector, request.Retrieval, request.Logger, request.Progress);
        return await walk.RunAsync(await key.Key.ConfigureAwait(false), entry => Included(request.Include, entry.Name), request.Include.Count == 0,
            extractor.ExtractAsync, cancellationToken).ConfigureAwait(false);
    }

    private static bool Included(IReadOnlyList<string> include, string entryName) =>
        include.Count == 0 || include.Any(pattern => GlobPathMatcher.Matches(pattern, entryName));
}
