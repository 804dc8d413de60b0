using System.Formats.Tar;
using System.Security.Cryptography;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Restore;

/// <summary>
/// Checks a stored archive without writing files: its size, SHA-256 and tree hash against the log, and, given the
/// private key, every file's SHA-256 after decrypting and decompressing. A snapshot run is checked across the
/// archives of its chain: every entry of its complete file set against its catalog.
/// </summary>
public static class VerifyRunner
{
    /// <summary>
    /// Verifies; <paramref name="privateKeyPath"/> null checks only the stored bytes. A cold archive is retrieved with
    /// the default <see cref="RetrievalOptions"/> (waiting for the retrieval).
    /// </summary>
    public static Task<RestoreResult> RunAsync(GteuConfig config, RunSelector selector, string? privateKeyPath,
        string? passphrase, ILogger logger, CancellationToken cancellationToken) =>
        RunAsync(config, selector, privateKeyPath, passphrase, new RetrievalOptions(), logger, cancellationToken);

    /// <summary>Verifies, retrieving a cold archive as <paramref name="retrieval"/> says (tier, days, wait or not).</summary>
    public static Task<RestoreResult> RunAsync(GteuConfig config, RunSelector selector, string? privateKeyPath,
        string? passphrase, RetrievalOptions retrieval, ILogger logger, CancellationToken cancellationToken) =>
        RunAsync(config, vault: null, selector, privateKeyPath, passphrase, retrieval, logger, progress: null, cancellationToken);

    /// <summary>
    /// Verifies an archive in <paramref name="vault"/>, a backend of your own (null opens the one the configuration's
    /// BACKEND names; the caller keeps ownership), reporting the retrieval wait, bytes read and files checked to
    /// <paramref name="progress"/> (may be null).
    /// </summary>
    public static async Task<RestoreResult> RunAsync(GteuConfig config, IVault? vault, RunSelector selector, string? privateKeyPath,
        string? passphrase, RetrievalOptions retrieval, ILogger logger, IProgress<RestoreProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(retrieval);
        if (await Migration.Seed.SeedRestore.TryVerifyAsync(config, selector, privateKeyPath, passphrase, retrieval, logger, cancellationToken)
                .ConfigureAwait(false) is { } seedRun) { return seedRun; }
        using var key = new BackgroundKey(privateKeyPath, passphrase);
        var result = await SnapshotRestore.TryOpenAsync(config, vault, selector, retrieval, logger, progress, cancellationToken).ConfigureAwait(false) is { } snapshot
            ? await snapshot.RunAsync(key.Key, [], new HashingSink(), cancellationToken).ConfigureAwait(false)
            : await new ArchiveWalk(config, vault, selector, retrieval, logger, progress)
                .RunAsync(await key.Key.ConfigureAwait(false), _ => true, wholeArchive: true, HashEntryAsync, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Verified archive {Id} of run {RunKey}: {Verified} files checked; {Problems} problem(s)",
            result.ArchiveId, result.RunKey, result.FilesVerified, result.Problems.Count);
        return result;
    }

    internal static async Task<string?> HashEntryAsync(TarEntry entry, string? expectedHash, CancellationToken cancellationToken)
    {
        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) { return null; }
        if (entry.DataStream is null) { return Convert.ToHexStringLower(SHA256.HashData([])); }
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(entry.DataStream, cancellationToken).ConfigureAwait(false));
    }
}
