namespace AutoGlacier.Restore;

/// <summary>How a restore or verify waits for a cold archive (a Glacier retrieval job) to become readable.</summary>
/// <param name="Wait">True to poll until the archive is readable; false to return at once with a pending result (exit code <see cref="ExitCodes.Pending"/>) so a scheduler can run the command again.</param>
/// <param name="Tier">Retrieval tier (Expedited, Standard, Bulk); null for RETRIEVAL_TIER.</param>
/// <param name="PollInterval">Time between checks while waiting; null for 5 minutes.</param>
public sealed record RetrievalOptions(bool Wait = true, string? Tier = null, TimeSpan? PollInterval = null);
