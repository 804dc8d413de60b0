using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Vaults;

namespace AutoGlacier;

/// <summary>
/// A run whose archive is stored but whose catalog did not reach the vault (the network failed, the process was
/// stopped): <c>resume</c> uploads the local catalog and ends the run as it would have ended.
/// </summary>
internal static class UnstoredCatalog
{
    /// <summary>
    /// True for a snapshot run that stored its archive but not its catalog: interrupted for want of it, or just
    /// resumed from its spool (its process was killed before the catalog's turn).
    /// </summary>
    public static bool Applies(RunRecord record) =>
        record is { ArchiveId: not null, Snapshot: { CatalogArchiveId: null } }
        && record.Status is RunStatus.Interrupted or RunStatus.Succeeded or RunStatus.CompletedWithWarnings
        && !record.BackendState.ContainsKey(RunDeletion.DeletedAtKey);

    /// <summary>Stores the catalog and records the run's final status.</summary>
    public static async Task<ResumeResult> SettleAsync(JsonRunLog log, string runKey, RunRecord record, IVault vault, GteuConfig config,
        CancellationToken cancellationToken)
    {
        try
        {
            var recipients = config.PublicKeyPaths.Select(RecipientKey.Load).ToList();
            PendingCatalog.Finish(log.Path, runKey, record.ArchiveId!);
            var snapshot = await CatalogUpload.StoreAsync(vault, log.Path, runKey, record.Description, recipients, record.Snapshot!, cancellationToken).ConfigureAwait(false);
            var finished = record with { Snapshot = snapshot, Error = null };
            finished = finished with { Status = RunStatus.Final(finished), EndedAt = record.Status == RunStatus.Interrupted ? DateTimeOffset.UtcNow : record.EndedAt };
            await log.UpdateRunAsync(runKey, finished, cancellationToken).ConfigureAwait(false);
            return new ResumeResult(runKey, ResumeOutcome.Resumed, $"catalog stored as {snapshot.CatalogArchiveId}; the run {finished.Status}", record.ArchiveId);
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or UnauthorizedAccessException)
        {
            return new ResumeResult(runKey, ResumeOutcome.Failed, $"its catalog could not be stored: {ex.Message}; the run stays resumable");
        }
    }
}
