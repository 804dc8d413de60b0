using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>What happened to one unfinished run.</summary>
/// <param name="RunKey">The run.</param>
/// <param name="Outcome">Resumed (the archive is stored now), Abandoned (nothing to resume: marked failed), Skipped (another process runs it) or Failed (still resumable).</param>
/// <param name="Message">What was done, or what went wrong and what to do.</param>
/// <param name="ArchiveId">The stored archive, when resumed.</param>
public sealed record ResumeResult(string RunKey, string Outcome, string Message, string? ArchiveId = null);

/// <summary>
/// Finishes the unfinished uploads in the log (<c>autoglacier resume</c>, and the start of every job run): runs whose
/// archive is sealed in the spool are uploaded from it (<see cref="UploadResumer"/>); runs whose process died before
/// the archive was complete are marked failed, their upload aborted and their partial spool removed. Runs whose
/// process is still alive (its lease is held) are left alone.
/// </summary>
public static class UploadResume
{
    /// <summary>Outcome names.</summary>
    public const string Resumed = "resumed", Abandoned = "abandoned", Skipped = "skipped", Failed = "failed";

    /// <summary>Resumes every unfinished run of <paramref name="jobName"/> (all jobs when null) on the configured backend.</summary>
    public static async Task<IReadOnlyList<ResumeResult>> ResumeAsync(GteuConfig config, string? jobName, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        IVault vault = VaultFactory.Create(config);
        try
        {
            return await ResumeAsync(config, vault, jobName, logger, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            (vault as IDisposable)?.Dispose();
        }
    }

    internal static async Task<IReadOnlyList<ResumeResult>> ResumeAsync(GteuConfig config, IVault vault, string? jobName, ILogger logger, CancellationToken cancellationToken)
    {
        var log = new JsonRunLog(config.JsonDatabase);
        var results = new List<ResumeResult>();
        if (!vault.Capabilities.ResumableUploads || vault is not IMultipartVault multipart)
        {
            return results; // A vault that writes in one step (local) never leaves anything half uploaded.
        }

        foreach (var (runKey, record) in await log.ListRunsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (IsUnfinished(record, vault, jobName))
            {
                var run = new UnfinishedRun(log, runKey, record, multipart, config, logger);
                ResumeResult result = await run.SettleAsync(cancellationToken).ConfigureAwait(false);
                logger.Log(result.Outcome == Failed ? LogLevel.Error : LogLevel.Information, "Run {RunKey} {Outcome}: {Message}", runKey, result.Outcome, result.Message);
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
