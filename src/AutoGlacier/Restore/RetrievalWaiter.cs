using AutoGlacier.Log;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Restore;

/// <summary>
/// Makes an archive readable: asks the vault (reusing the retrieval token kept in the run's BackendState, so a later
/// restore of the same run reuses the job), records a new token in the log at once, then polls until ready or, when
/// told not to wait, raises <see cref="RetrievalPendingException"/>.
/// </summary>
internal sealed class RetrievalWaiter(RetrievalOptions options, ILogger logger)
{
    /// <summary>BackendState key of the retrieval token (for Glacier, the archive-retrieval job id).</summary>
    public const string TokenKey = "retrieval_token";

    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(5);

    public async Task EnsureReadableAsync(IVault vault, string archiveId, JsonRunLog log, string? runKey, RunRecord? record, CancellationToken cancellationToken)
    {
        string? token = record?.BackendState.GetValueOrDefault(TokenKey);
        var state = await vault.RequestRetrievalAsync(archiveId, new RetrievalRequest(options.Tier, token), cancellationToken).ConfigureAwait(false);
        if (state.Token != token && runKey is not null && record is not null)
        {
            var backendState = new Dictionary<string, string>(record.BackendState) { [TokenKey] = state.Token ?? "" };
            await log.UpdateRunAsync(runKey, record with { BackendState = backendState }, cancellationToken).ConfigureAwait(false);
        }

        while (!state.IsReady)
        {
            if (!options.Wait)
            {
                throw new RetrievalPendingException($"Archive {archiveId} is not readable yet: {state.Message}. Run the same command again later; it reuses this retrieval.");
            }

            logger.LogInformation("Waiting for archive {ArchiveId}: {State}", archiveId, state.Message);
            await Task.Delay(options.PollInterval ?? DefaultPollInterval, cancellationToken).ConfigureAwait(false);
            state = await vault.RequestRetrievalAsync(archiveId, new RetrievalRequest(options.Tier, state.Token), cancellationToken).ConfigureAwait(false);
        }
    }
}
