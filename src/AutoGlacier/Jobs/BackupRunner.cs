using System.Diagnostics;
using AutoGlacier.Archive.Tar;
using AutoGlacier.Compression;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Gathering;
using AutoGlacier.Hashing;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>
/// Runs the fixed GTEU pipeline in one streaming pass: gathered files → pax tar (hashing each file as it is
/// read) → compressor → encryptor → archive hasher (SHA-256 + tree hash) → vault upload. The run is recorded in
/// the JSON log when it starts and completed when it ends; on failure the upload is aborted and the run marked
/// failed with the error.
/// </summary>
public static class BackupRunner
{
    /// <summary>Runs a backup. Never throws for run failures: they come back as a result with an exit code.</summary>
    public static async Task<BackupResult> RunAsync(BackupRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        BackupPlan plan;
        GteuConfig? config = null;
        try
        {
            config = BackupPlan.LoadConfig(request);
            plan = BackupPlan.Prepare(request, config);
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or UnauthorizedAccessException)
        {
            request.Logger.LogError("Backup not started: {Message}", ex.Message);
            var notStarted = new BackupResult { Error = ex.Message, ExitCode = ex is ConfigurationException ? ExitCodes.Usage : ExitCodes.Error, Elapsed = clock.Elapsed };
            if (config is not null)
            {
                // The nightly job did not run: exactly what a failure notification is for.
                await BackupHooks.RunAsync(config, notStarted, request.Description, request.Logger, CancellationToken.None).ConfigureAwait(false);
            }

            return notStarted;
        }
        await ResumeUnfinishedAsync(plan, request, cancellationToken).ConfigureAwait(false);
        using var files = new FileRecordSpool(plan.Config.TmpDir);
        foreach (var (path, reason) in plan.Gather.Skipped)
        {
            files.Append(new FileRecord { Path = path, Status = FileStatus.Skipped, Reason = reason });
        }
        BackupResult result;
        using (var session = new BackupSession(plan, request, files, clock))
        {
            result = await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        await BackupHooks.RunAsync(plan.Config, result, request.Description, request.Logger, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Finishes this job's interrupted uploads before backing up again (they hold complete archives). A resume that
    /// fails is reported and left resumable; it never stops the new backup.
    /// </summary>
    private static async Task ResumeUnfinishedAsync(BackupPlan plan, BackupRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await UploadResume.ResumeAsync(plan.Config, plan.Vault, request.JobName, request.Logger, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A resume problem is reported, and must never keep the new backup from running.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            request.Logger.LogWarning("Could not finish the unfinished uploads in the log: {Message}", ex.Message);
        }
    }
}

/// <summary>
/// Everything validated before a single file is read: config, keys, codec, vault, and what to gather (its roots; the
/// entries are walked in ordinal path order, the order of the tar and of every catalog, as the run goes).
/// </summary>
internal sealed record BackupPlan(GteuConfig Config, IReadOnlyList<RecipientKey> Recipients, ICompressionCodec Codec,
    IVault Vault, JsonRunLog Log, GatherPlan Gather, Snapshots.SnapshotSettings Snapshot)
{
    public static BackupPlan Prepare(BackupRequest request, GteuConfig config)
    {
        ConfigLoader.Validate(config);
        if (config.PublicKeyPaths.Count == 0)
        {
            throw new ConfigurationException(
                "PUBL_RSA_KEY_PATH is not set: a backup needs at least one recipient public key. Create one with " +
                "'autoglacier keygen --private-key PATH --public-key PATH' and keep the private key offline.");
        }
        var recipients = config.PublicKeyPaths.Select(RecipientKey.Load).ToList();
        var codec = CompressionCodecs.Create(config.Compression, new CompressionSettings(config.CompressionLevel, config.CompressionThreads));
        var vault = request.Vault ?? VaultFactory.Create(config);
        var snapshot = Snapshots.SnapshotSettings.From(config, vault.Capabilities.MinimumStorageDays);
        var gathered = new Gatherer(request.Logger, request.RecurseDirectories).Gather(request.Files, request.Globs, request.GatherHook);
        return new BackupPlan(config, recipients, codec, vault, new JsonRunLog(config.JsonDatabase), gathered, snapshot);
    }

    public static GteuConfig LoadConfig(BackupRequest request)
    {
        try
        {
            return request.Config();
        }
        catch (AutoGlacierException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new ConfigurationException("Cannot load the configuration: " + ex.Message, ex);
        }
    }
}
