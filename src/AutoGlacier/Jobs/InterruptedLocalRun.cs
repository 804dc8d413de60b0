using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults.Local;

namespace AutoGlacier;

/// <summary>
/// A local-vault run left <c>started</c> by a process that is gone (killed, crashed, the machine stopped). The local
/// vault stores an archive in one step, so there is nothing to resume: the run is marked failed (interrupted) and the
/// temporary archive its upload left in the vault, as large as the archive got, is removed.
/// </summary>
internal sealed class InterruptedLocalRun(JsonRunLog log, string runKey, LocalVault vault, GteuConfig config)
{
    /// <summary>The error a settled run records; it starts with "interrupted" so people and scripts can tell it apart.</summary>
    public const string Reason = "interrupted: the backup's process ended before its archive was stored (killed, crashed or the machine stopped)";

    public async Task<ResumeResult> SettleAsync(RunRecord recorded, CancellationToken cancellationToken)
    {
        using SettlementLeases? leases = SettlementLeases.TryTake(config.TmpDir, runKey, recorded);
        if (leases is null)
        {
            return new ResumeResult(runKey, ResumeOutcome.Skipped, SettlementLeases.StillRunning);
        }

        // Re-read under the leases: the run may have ended, or another process settled it, since the log was listed.
        RunRecord? current = await log.GetRunAsync(runKey, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Status != RunStatus.Started || current.ArchiveId is not null)
        {
            return new ResumeResult(runKey, ResumeOutcome.Skipped, $"it is no longer unfinished (now {current?.Status ?? "gone from the log"})");
        }

        if (current.VaultLocation is { } location && location != vault.Location)
        {
            return new ResumeResult(runKey, ResumeOutcome.Skipped,
                $"it was writing to the local vault {location}, but this configuration uses {vault.Location}; run 'autoglacier resume' with that run's configuration");
        }

        long freed = vault.RemoveTemporaryArchivesOf(runKey);
        string removed = freed > 0 ? $"its temporary archive ({freed:N0} bytes) was removed from the vault" : "it left no temporary archive in the vault";
        string message = $"{Reason}; {removed}; the next backup stores these files again";
        RunRecord failed = RunUploadState.With(current, (RunUploadState.LeasePath, null))
            with { Status = RunStatus.Failed, Error = message, EndedAt = DateTimeOffset.UtcNow };
        await log.UpdateRunAsync(runKey, failed, cancellationToken).ConfigureAwait(false);
        return new ResumeResult(runKey, ResumeOutcome.Abandoned, message);
    }
}
