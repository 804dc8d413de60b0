using AutoGlacier.Configuration;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Restore;

/// <summary>
/// How restore and verify get an archive out of cold storage: which tier, for how many days, and whether to wait
/// for the retrieval (polling the vault) or stop with <see cref="RetrievalPendingException"/> at once.
/// </summary>
public sealed record RetrievalOptions
{
    /// <summary>Poll interval for Expedited retrievals (Glacier and S3 GLACIER: 1–5 minutes).</summary>
    public static readonly TimeSpan ExpeditedPollInterval = TimeSpan.FromMinutes(1);

    /// <summary>Poll interval for Standard and Bulk retrievals (hours on AWS).</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Wait until the archive is readable (the default), checking the retrieval every <see cref="PollInterval"/>.
    /// False keeps the request recorded in the log and raises <see cref="RetrievalPendingException"/> (exit code 4),
    /// so the same command can be run again later (e.g. from cron) and continues with the same job.
    /// </summary>
    public bool Wait { get; init; } = true;

    /// <summary>
    /// Time between checks while waiting; null picks one from the tier (<see cref="ExpeditedPollInterval"/> for
    /// Expedited, else <see cref="DefaultPollInterval"/>).
    /// </summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>
    /// Longest time to wait; null waits until the retrieval finishes (or the operation is cancelled). When it runs out
    /// the retrieval stays recorded and <see cref="RetrievalPendingException"/> is raised.
    /// </summary>
    public TimeSpan? MaxWait { get; init; }

    /// <summary>Retrieval tier (Expedited, Standard, Bulk; any case); null for RETRIEVAL_TIER from the configuration.</summary>
    public string? Tier { get; init; }

    /// <summary>Days a restored S3 copy stays readable (1–365); null for RESTORE_DAYS from the configuration.</summary>
    public int? Days { get; init; }

    /// <summary>The clock used to wait (tests may pass their own).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The tier as the vaults spell it (null when not set).
    /// </summary>
    /// <exception cref="ConfigurationException">The tier or the days are not allowed values.</exception>
    internal string? CheckedTier()
    {
        if (Days is < 1 or > 365)
        {
            throw new ConfigurationException($"Restore days {Days} is out of range; allowed: 1–365.");
        }

        if (PollInterval is { } poll && poll <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"Poll interval {poll} must be positive.");
        }

        if (MaxWait is { } max && max < TimeSpan.Zero)
        {
            throw new ConfigurationException($"Maximum wait {max} must not be negative.");
        }

        return Tier is null
            ? null
            : S3RetrievalTiers.Normalize(Tier)
                ?? throw new ConfigurationException($"Retrieval tier \"{Tier}\" is not a tier; allowed: {string.Join(", ", S3RetrievalTiers.All)}.");
    }

    /// <summary>The poll interval for <paramref name="tier"/> (the effective tier of the retrieval).</summary>
    internal TimeSpan IntervalFor(string? tier) =>
        PollInterval ?? (tier == S3RetrievalTiers.Expedited ? ExpeditedPollInterval : DefaultPollInterval);
}
