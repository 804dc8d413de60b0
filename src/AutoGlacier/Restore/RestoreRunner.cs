using AutoGlacier.Encryption;
using AutoGlacier.Gathering;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Restore;

/// <summary>
/// Restores a run: vault → decrypt → decompress → extract under the target directory, restoring mode and mtime,
/// verifying every file's SHA-256 and the archive's hashes, refusing entries that would land outside the directory.
/// </summary>
public static class RestoreRunner
{
    /// <summary>Runs a restore. Problems with single entries are collected; a damaged archive or a wrong key ends it.</summary>
    public static async Task<RestoreResult> RunAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var key = PrivateKey.Load(request.PrivateKeyPath, request.Passphrase);
        var paths = new SafeTargetPath(request.TargetDirectory);
        Directory.CreateDirectory(paths.Root);
        var extractor = new EntryExtractor(paths, request.Overwrite, request.AllowExternalSymlinks);
        var walk = new ArchiveWalk(request.Config, request.Vault, request.Selector, request.Retrieval, request.Logger);
        var result = await walk.RunAsync(key, entry => Included(request.Include, entry.Name), request.Include.Count == 0,
            extractor.ExtractAsync, cancellationToken).ConfigureAwait(false);
        extractor.ApplyDirectoryMetadata();
        request.Logger.LogInformation("Restored {Entries} entries ({Bytes} bytes, {Verified} files verified) of run {RunKey} into {Dir}; {Problems} problem(s)",
            result.EntriesProcessed, result.Bytes, result.FilesVerified, result.RunKey, paths.Root, result.Problems.Count);
        return result;
    }

    private static bool Included(IReadOnlyList<string> include, string entryName) =>
        include.Count == 0 || include.Any(pattern => GlobPathMatcher.Matches(pattern, entryName));
}
