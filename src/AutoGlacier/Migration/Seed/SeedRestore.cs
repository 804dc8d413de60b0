using AutoGlacier.Vaults.Glacier;
using System.Formats.Tar;
using System.Security.Cryptography;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Restore;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// <c>restore</c> and <c>verify</c> of the Python seed's runs (and of archives named with <c>--seed-format</c>): the
/// archive is retrieved from the run's own region and vault, authenticated, decrypted, decompressed and extracted
/// with the same path safety as ours, and every file is checked against the hash the seed recorded (SHA-512 in its
/// JSON log, SHA-256 in glacierbackup's database).
/// </summary>
internal static class SeedRestore
{
    /// <summary>Restores when the request names a seed run or a seed-format archive; null when it is ours (the caller goes on).</summary>
    public static async Task<RestoreResult?> TryRestoreAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = await SeedRun.FindAsync(request.Config, request.Selector, cancellationToken).ConfigureAwait(false);
        if (run is null) { return null; }
        using RSA key = SeedPrivateKey.Load(request.PrivateKeyPath, request.Passphrase);
        var paths = new SafeTargetPath(request.TargetDirectory);
        Directory.CreateDirectory(paths.Root);
        var extractor = new EntryExtractor(paths, request.Overwrite, request.SkipExternalSymlinks, run.FileHash);
        var walk = new SeedArchiveWalk(request.Config, run, request.Retrieval, request.Logger);
        var result = await walk.RunAsync(key, spoolDirectory: request.Config.TmpDir,
            entry => request.Include.Count == 0 || request.Include.Any(pattern => Gathering.GlobPathMatcher.Matches(pattern, entry.Name)),
            request.Include.Count == 0, extractor.ExtractAsync, cancellationToken).ConfigureAwait(false);
        extractor.ApplyDirectoryMetadata();
        request.Logger.LogInformation("Restored {Entries} entries ({Bytes} bytes, {Verified} files verified) of seed run {RunKey} into {Dir}; {Problems} problem(s)",
            result.EntriesProcessed, result.Bytes, result.FilesVerified, result.RunKey, paths.Root, result.Problems.Count);
        return result;
    }

    /// <summary>Verifies when the selector names a seed run or a seed-format archive; null when it is ours.</summary>
    public static async Task<RestoreResult?> TryVerifyAsync(GteuConfig config, RunSelector selector, string? privateKeyPath,
        string? passphrase, RetrievalOptions retrieval, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logger);
        var run = await SeedRun.FindAsync(config, selector, cancellationToken).ConfigureAwait(false);
        if (run is null) { return null; }
        using RSA? key = privateKeyPath is null ? null : SeedPrivateKey.Load(privateKeyPath, passphrase);
        var walk = new SeedArchiveWalk(config, run, retrieval, logger);
        // Verify writes nothing, so it decrypts as it downloads; the tag is checked at the end, before any verdict.
        var result = await walk.RunAsync(key, spoolDirectory: null, _ => true, wholeArchive: true,
            (entry, _, ct) => HashAsync(entry, run.FileHash, ct), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Verified seed archive {Id} of run {RunKey}: {Verified} files checked; {Problems} problem(s)",
            result.ArchiveId, result.RunKey, result.FilesVerified, result.Problems.Count);
        return result;
    }

    private static async Task<string?> HashAsync(TarEntry entry, HashAlgorithmName algorithm, CancellationToken cancellationToken)
    {
        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) { return null; }
        using var hash = IncrementalHash.CreateHash(algorithm);
        if (entry.DataStream is { } data)
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) { hash.AppendData(buffer, 0, read); }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>A seed run (or seed-format archive) found in the log, with what reading it needs.</summary>
internal sealed record SeedRun(string? RunKey, RunRecord? Record, string ArchiveId, JsonRunLog Log)
{
    /// <summary>The hash the run recorded for its files.</summary>
    public HashAlgorithmName FileHash => Record?.FileHashAlgorithm == "sha256" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;

    /// <summary>The seed run the selector names, or null when it names one of ours.</summary>
    public static async Task<SeedRun?> FindAsync(GteuConfig config, RunSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var log = new JsonRunLog(config.JsonDatabase);
        var (runKey, record) = await selector.ResolveAsync(log, cancellationToken).ConfigureAwait(false);
        if (!selector.SeedFormat && !SeedOrigins.IsSeed(record?.Origin)) { return null; }
        return new SeedRun(runKey, record, record?.ArchiveId ?? selector.ArchiveId!, log);
    }

    /// <summary>
    /// The configuration to read the run's vault with: the run's own region and vault (the seed kept one pair per
    /// run), with the credentials and endpoint of <paramref name="config"/>.
    /// </summary>
    public GteuConfig VaultConfig(GteuConfig config) => Record?.Backend == "s3" ? config // moved by migrate: read it with the S3 configuration
        : Record is null ? config with { Backend = "glacier" } : config with
    {
        Backend = "glacier",
        RegionName = Record.Region ?? config.RegionName,
        VaultName = Record.Config.GetValueOrDefault(GlacierBackend.VaultName) ?? config.VaultName,
    };
}
