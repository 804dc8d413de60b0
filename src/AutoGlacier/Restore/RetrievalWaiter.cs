using System.Globalization;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Restore;

/// <summary>
/// Makes an archive readable: asks the vault for a retrieval (reusing the one recorded in the log), records a new
/// request in the run's backend state as it happens, and either waits for it, polling the vault, or stops with
/// <see cref="RetrievalPendingException"/>.
/// </summary>
/// <remarks>
/// <paramref name="statePrefix"/> names the backend-state keys: <c>retrieval_</c> for the run's archive; another
/// object of the run (migrate's snapshot catalog) keeps its own retrieval beside the archive's.
/// </remarks>
internal sealed class RetrievalWaiter(GteuConfig config, RetrievalOptions options, ILogger logger, Action<RetrievalWait>? waiting = null,
    string statePrefix = "retrieval_")
{
    /// <summary>The backend-state key that keeps a retrieval's token (e.g. a Glacier job id) between runs.</summary>
    private readonly string _tokenKey = statePrefix + "token";

    /// <summary>The backend-state key with the tier the recorded retrieval was requested with.</summary>
    private readonly string _tierKey = statePrefix + "tier";

    /// <summary>The backend-state key with when the recorded retrieval was requested (ISO 8601 UTC).</summary>
    private readonly string _requestedAtKey = statePrefix + "requested_at";

    /// <summary>Returns once the archive is readable.</summary>
    /// <exception cref="RetrievalPendingException">Not readable, and not waiting (or the maximum wait ran out).</exception>
    /// <exception cref="ConfigurationException">The tier or days are not allowed (for this run's storage class).</exception>
    public async Task EnsureReadableAsync(IVault vault, JsonRunLog log, string? runKey, RunRecord? record, string archiveId,
        CancellationToken cancellationToken)
    {
        string? requestedTier = options.CheckedTier();
        RefuseTierTheStorageLacks(requestedTier, runKey, record, vault);
        string tier = requestedTier ?? S3RetrievalTiers.Normalize(config.RetrievalTier) ?? S3RetrievalTiers.Standard;
        TimeProvider clock = options.TimeProvider;
        DateTimeOffset started = clock.GetUtcNow();
        DateTimeOffset? deadline = options.MaxWait is { } max ? started + max : null;
        string? known = record?.BackendState.GetValueOrDefault(_tokenKey);
        if (known is not null && requestedTier is not null && record!.BackendState.GetValueOrDefault(_tierKey) is { } recordedTier && recordedTier != requestedTier)
        {
            logger.LogWarning("The log records a {RecordedTier} retrieval of archive {ArchiveId}; it is checked first, and tier {Tier} applies only if a new request is needed",
                recordedTier, archiveId, requestedTier);
        }

        for (bool waited = false; ; waited = true)
        {
            var request = new RetrievalRequest(requestedTier, known, options.Days);
            RetrievalState state = await vault.RequestRetrievalAsync(archiveId, request, cancellationToken).ConfigureAwait(false);
            if (runKey is not null && record is not null && state.Token is not null && state.Token != known)
            {
                record = await RecordAsync(log, runKey, record, state.Token, tier, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            known = state.Token ?? known;
            if (state.IsReady)
            {
                if (waited)
                {
                    logger.LogInformation("Archive {ArchiveId} is readable: {State}", archiveId, state.Message);
                }

                return;
            }

            DateTimeOffset now = clock.GetUtcNow();
            if (!options.Wait)
            {
                throw new RetrievalPendingException($"Archive {archiveId} is not readable yet: {state.Message}. " +
                    "The request is recorded; run the same command again later.");
            }

            if (deadline is { } end && now >= end)
            {
                throw new RetrievalPendingException($"Archive {archiveId} is still not readable after waiting {Span(now - started)}: {state.Message}. " +
                    "The request is recorded; run the same command again later and it continues with the same retrieval.");
            }

            TimeSpan delay = options.IntervalFor(tier);
            if (deadline is { } last && last - now < delay)
            {
                delay = last - now;
            }

            string? requestedAt = record?.BackendState.GetValueOrDefault(_requestedAtKey);
            logger.LogInformation("{State}; requested {RequestedAt}; waiting ({Waited} so far); next check at {Next}",
                state.Message, requestedAt ?? "before this run", Span(now - started), Stamp(now + delay));
            waiting?.Invoke(new RetrievalWait(state.Message, requestedAt, now - started, now + delay));
            await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Refuses, before asking, a tier the run's storage does not offer (S3 DEEP_ARCHIVE has no Expedited tier), judged
    /// by the settings the run recorded.
    /// </summary>
    private static void RefuseTierTheStorageLacks(string? tier, string? runKey, RunRecord? record, IVault vault)
    {
        if (tier is null || record is null || BackendRegistry.CapabilitiesOfRun(record, vault) is not { RetrievalTiers.Count: > 0 } storage
            || storage.RetrievalTiers.Any(offered => offered.Tier == tier))
        {
            return;
        }

        string offered = string.Join(" or ", storage.RetrievalTiers.Select(t => $"{t.Tier} ({t.TypicalWait})"));
        throw new ConfigurationException($"Run {runKey} is stored in {storage.StorageName}, which has no {tier} restore tier; use tier {offered}.");
    }

    /// <summary>Writes the new retrieval into the run's backend state, on the run as the log holds it now.</summary>
    private async Task<RunRecord> RecordAsync(JsonRunLog log, string runKey, RunRecord record, string token, string tier,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        RunRecord current = await log.GetRunAsync(runKey, cancellationToken).ConfigureAwait(false) ?? record;
        var backendState = new Dictionary<string, string>(current.BackendState)
        {
            [_tokenKey] = token,
            [_tierKey] = tier,
            [_requestedAtKey] = Stamp(now),
        };
        RunRecord updated = current with { BackendState = backendState };
        await log.UpdateRunAsync(runKey, updated, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Span(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:D2}:{span.Seconds:D2}");
}
