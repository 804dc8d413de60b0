using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Local;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>What happened to one unfinished run.</summary>
/// <param name="RunKey">The run.</param>
/// <param name="Outcome">What was done with it.</param>
/// <param name="Message">What was done, or what went wrong and what to do.</param>
/// <param name="ArchiveId">The stored archive, when resumed.</param>
public sealed record ResumeResult(string RunKey, ResumeOutcome Outcome, string Message, string? ArchiveId = null);

/// <summary>What <see cref="UploadResume"/> did with one unfinished run.</summary>
public enum ResumeOutcome
{
    /// <summary>The archive is stored now.</summary>
    Resumed,
    /// <summary>Nothing to resume (the archive never completed): the run is marked failed.</summary>
    Abandoned,
    /// <summary>Left alone: another process runs it, or it is no longer unfinished.</summary>
    Skipped,
    /// <summary>The upload failed again; the run stays resumable.</summary>
    Failed,
}

/// <summary>The words <c>autoglacier resume</c> prints and logs for a <see cref="ResumeOutcome"/>.</summary>
public static class ResumeOutcomeNames
{
    /// <summary><c>resumed</c>, <c>abandoned</c>, <c>skipped</c> or <c>failed</c>.</summary>
    public static string Name(this ResumeOutcome outcome) => outcome switch
    {
        ResumeOutcome.Resumed => "resumed",
        ResumeOutcome.Abandoned => "abandoned",
        ResumeOutcome.Skipped => "skipped",
        ResumeOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}

/// <summary>
/// Finishes the unfinished uploads in the log (<c>autoglacier resume</c>, and the start of every job run): runs whose
/// archive is sealed in the spool are uploaded from it (<see cref="UploadResumer"/>); runs whose process died before
/// the archive was complete are marked failed, their upload aborted and their partial spool removed (for the local
/// vault: marked failed as interrupted and their temporary archive removed). Runs whose process is still alive (its
/// lease is held) are left alone.
/// </summary>
public static class UploadResume
{
    /// <summary>Resumes every unfinished run of <paramref name="jobName"/> (all jobs when null) on the configured backend.</summary>
    public static Task<IReadOnlyList<ResumeResult>> ResumeAsync(GteuConfig config, string? jobName, ILogger logger, CancellationToken cancellationToken) =>
        ResumeAsync(config, jobName, logger, progress: null, cancellationToken);

    /// <summary>
    /// Resumes every unfinished run of <paramref name="jobName"/> (all jobs when null) on the configured backend,
    /// reporting each resumed upload's parts, bytes and rate to <paramref name="progress"/>.
    /// </summary>
    /// <param name="config">The configuration whose log and vault hold the runs.</param>
    /// <param name="jobName">Only runs of this job; null for every unfinished run.</param>
    /// <param name="logger">Receives what is done with each run.</param>
    /// <param name="progress">Receives <see cref="ResumeProgress"/> reports while uploads are resumed; null for none.</param>
    /// <param name="cancellationToken">Cancels the resume (an interrupted upload stays resumable).</param>
    public static async Task<IReadOnlyList<ResumeResult>> ResumeAsync(GteuConfig config, string? jobName, ILogger logger,
        IProgress<ResumeProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        IVault vault = VaultFactory.Create(config);
        try
        {
            return await ResumeAsync(config, vault, jobName, logger, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            (vault as IDisposable)?.Dispose();
        }
    }

    /// <summary>Settles the unfinished runs before a job's backup (no progress: the backup reports its own).</summary>
    internal static Task<IReadOnlyList<ResumeResult>> ResumeAsync(GteuConfig config, IVault vault, string? jobName, ILogger logger, CancellationToken cancellationToken) =>
        ResumeAsync(config, vault, jobName, logger, progress: null, cancellationToken);

    private static async Task<IReadOnlyList<ResumeResult>> ResumeAsync(GteuConfig config, IVault vault, string? jobName, ILogger logger,
        IProgress<ResumeProgress>? progress, CancellationToken cancellationToken)
    {
        var log = new JsonRunLog(config.JsonDatabase);
        var results = new List<ResumeResult>();
        var runs = await log.ListRunsAsync(cancellationToken).ConfigureAwait(false);
        (int number, int count) = (0, runs.Count(run => IsUnfinished(run.Value, vault, jobName))); // for progress: "run 1/2"
        foreach (var (runKey, record) in runs)
        {
            if (UnstoredCatalog.Applies(record) && record.Backend == vault.BackendName && (jobName is null || record.Job == jobName))
            {
                ResumeResult stored = await UnstoredCatalog.SettleAsync(log, runKey, record, vault, config, cancellationToken).ConfigureAwait(false);
                logger.Log(stored.Outcome == ResumeOutcome.Failed ? LogLevel.Error : LogLevel.Information, "Run {RunKey} {Outcome}: {Message}", runKey, stored.Outcome.Name(), stored.Message);
                results.Add(stored);
            }
            else if (IsUnfinished(record, vault, jobName))
            {
                var position = new ResumeProgress(runKey, ++number, count);
                ResumeResult result = vault switch
                {
                    IMultipartVault multipart when vault.Capabilities.ResumableUploads => await new UnfinishedRun(log, runKey, record, multipart, config, logger, position, progress).SettleAsync(cancellationToken).ConfigureAwait(false),
                    LocalVault local => await new InterruptedLocalRun(log, runKey, local, config).SettleAsync(record, cancellationToken).ConfigureAwait(false),
                    _ => new ResumeResult(runKey, ResumeOutcome.Skipped, $"the {vault.BackendName} backend cannot settle unfinished runs"),
                };
                logger.Log(result.Outcome == ResumeOutcome.Failed ? LogLevel.Error : LogLevel.Information, "Run {RunKey} {Outcome}: {Message}", runKey, result.Outcome.Name(), result.Message);
                if (result.Outcome == ResumeOutcome.Resumed && await log.GetRunAsync(runKey, cancellationToken).ConfigureAwait(false) is { } resumed
                    && UnstoredCatalog.Applies(resumed))
                {
                    // The archive is stored now; its catalog's turn never came in the process that died.
                    var catalog = await UnstoredCatalog.SettleAsync(log, runKey, resumed, vault, config, cancellationToken).ConfigureAwait(false);
                    result = catalog.Outcome == ResumeOutcome.Failed ? catalog : result with { Message = result.Message + "; " + catalog.Message };
                }
                results.Add(result);
            }
        }

        return results;
    }

    private static bool IsUnfinished(RunRecord record, IVault vault, string? jobName) =>
        IsUnfinished(record) && record.Backend == vault.BackendName && (jobName is null || record.Job == jobName);

    /// <summary>A run with no archive that is still started, uploading or interrupted.</summary>
    internal static bool IsUnfinished(RunRecord record) =>
        record.ArchiveId is null && record.Status is RunStatus.Started or RunStatus.Uploading or RunStatus.Interrupted;
}
