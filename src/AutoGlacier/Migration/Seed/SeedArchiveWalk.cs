using System.Formats.Tar;
using System.Security.Cryptography;
using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// <see cref="ArchiveWalk"/> for a seed archive: the vault is the run's own Glacier vault, the reader is
/// <see cref="SeedArchiveReader"/>; entries, hashes and the stored archive are checked by the same code as ours.
/// </summary>
internal sealed class SeedArchiveWalk(GteuConfig config, SeedRun run, RetrievalOptions retrieval, ILogger logger)
{
    public async Task<RestoreResult> RunAsync(RSA? key, string? spoolDirectory, Func<TarEntry, bool> include, bool wholeArchive,
        ArchiveWalk.EntryHandler handle, CancellationToken cancellationToken)
    {
        var vaultConfig = run.VaultConfig(config);
        var walk = new ArchiveWalk(vaultConfig, null, new RunSelector { RunKey = run.RunKey, ArchiveId = run.ArchiveId }, retrieval, logger);
        IVault vault = VaultFactory.Create(vaultConfig);
        try
        {
            await new RetrievalWaiter(vaultConfig, retrieval, logger)
                .EnsureReadableAsync(vault, run.Log, run.RunKey, run.Record, run.ArchiveId, cancellationToken).ConfigureAwait(false);
            var expected = new ExpectedHashes(walk.Problems, config.TmpDir, run.FileHash.Name!);
            bool listed = run.RunKey is not null && key is not null;
            if (listed) { await expected.LoadFromLogAsync(run.Log, run.RunKey!, cancellationToken).ConfigureAwait(false); }
            else if (key is not null) { logger.LogWarning("Archive {Id} is not in the log: seed archives carry no file list, so files are restored unverified", run.ArchiveId); }
            var (entries, bytes) = (0, 0L);
            Stream raw = await vault.OpenReadAsync(run.ArchiveId, 0, cancellationToken).ConfigureAwait(false);
            await using (var reader = await SeedArchiveReader.OpenAsync(raw, key, spoolDirectory, cancellationToken).ConfigureAwait(false))
            {
                if (reader.Tar is not null)
                {
                    // Seed restores report no live progress yet: the tracker only counts.
                    using var tracker = new RestoreProgressTracker(sink: null);
                    (entries, bytes) = await walk.WalkEntriesAsync(reader.Tar, expected, include, OnlyListed(handle), tracker, cancellationToken).ConfigureAwait(false);
                    if (wholeArchive && listed) { expected.ReportMissing(); }
                }
                var (size, sha, tree) = await reader.FinishAsync(cancellationToken).ConfigureAwait(false);
                walk.CompareArchive(run.Record, run.ArchiveId, size, sha, tree);
            }
            return new RestoreResult
            {
                RunKey = run.RunKey, ArchiveId = run.ArchiveId, EntriesProcessed = entries, Bytes = bytes,
                FilesVerified = expected.Verified, Problems = walk.Problems.ToList(),
            };
        }
        finally
        {
            (vault as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Checks only the files the seed recorded: its tar also holds directories and the tool's own gather list from
    /// TMP_DIR, which it never hashed. Those are restored but not counted as verified or as problems.
    /// </summary>
    private static ArchiveWalk.EntryHandler OnlyListed(ArchiveWalk.EntryHandler handle) => async (entry, expectedHash, cancellationToken) =>
    {
        string? hash = await handle(entry, expectedHash, cancellationToken).ConfigureAwait(false);
        return expectedHash is null ? null : hash;
    };
}
