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
    /// <summary>True for a run that stored its archive and is interrupted only for want of its catalog.</summary>
    public static bool Applies(RunRecord record) =>
        record is { Status: RunStatus.Interrupted, ArchiveId: not null, Snapshot: { CatalogArchiveId: null } };

    /// <summary>Stores the catalog and records the run's final status.</summary>
    public static async Task<ResumeResult> SettleAsync(JsonRunLog log, string runKey, RunRecord record, IVault vault, GteuConfig config,
        CancellationToken cancellationToken)
    {
        try
        {
            var recipients = config.PublicKeyPaths.Select(RecipientKey.Load).ToList();
            var snapshot = await CatalogUpload.StoreAsync(vault, log.Path, runKey, record.Description, recipients, record.Snapshot!, cancellationToken).ConfigureAwait(false);
            var finished = record with { Snapshot = snapshot, Error = null };
            finished = finished with { Status = RunStatus.Final(finished), EndedAt = DateTimeOffset.UtcNow };
            await log.UpdateRunAsync(runKey, finished, cancellationToken).ConfigureAwait(false);
            return new ResumeResult(runKey, ResumeOutcome.Resumed, $"catalog stored as {snapshot.CatalogArchiveId}; the run {finished.Status}", record.ArchiveId);
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or UnauthorizedAccessException)
        {
            return new ResumeResult(runKey, ResumeOutcome.Failed, $"its catalog could not be stored: {ex.Message}; the run stays resumable");
        }
    }
}
