namespace AutoGlacier.Snapshots;

/// <summary>BACKUP_MODE: what each run's snapshot is based on.</summary>
internal enum BackupMode
{
    /// <summary>Based on the previous successful snapshot of the series: each run stores only what changed since the last run (the default).</summary>
    Incremental,
    /// <summary>Based on the last full snapshot: a restore never needs more than two archives.</summary>
    Differential,
    /// <summary>Every run stores everything (self-contained archives, the seed's behaviour).</summary>
    Full,
}

/// <summary>One run of the log as base selection sees it.</summary>
/// <param name="RunKey">The run's key (launch timestamp).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Usable">True when it ended as a complete snapshot (succeeded or completed with warnings, catalog stored, not deleted).</param>
/// <param name="Series">Its series.</param>
/// <param name="Kind">Its snapshot kind; a run logged before snapshots existed is a full.</param>
/// <param name="Base">The run it was based on (null for a full).</param>
internal sealed record SnapshotRun(string RunKey, DateTimeOffset StartedAt, bool Usable, SeriesId Series, SnapshotKind Kind, string? Base);

/// <summary>What the next run will be.</summary>
/// <param name="Kind">Full, incremental or differential.</param>
/// <param name="Chain">The base snapshot's chain, oldest (its full) first, the base last; empty for a full.</param>
/// <param name="Why">The reason, for the log and the user.</param>
internal sealed record BaseChoice(SnapshotKind Kind, IReadOnlyList<string> Chain, string Why)
{
    /// <summary>The base run, or null for a full.</summary>
    public string? Base => Chain.Count == 0 ? null : Chain[^1];
}

/// <summary>
/// Chooses the next run's kind and base from the runs of its series: a failed, interrupted or deleted run is never a
/// base, nor any run whose chain passes through one; FULL_EVERY starts a new chain once the last full is that old.
/// </summary>
internal static class BaseSelector
{
    /// <summary>Chooses the next run's kind and base.</summary>
    /// <param name="runs">Runs of the log (any series, any order).</param>
    /// <param name="series">The series of the run about to start.</param>
    /// <param name="mode">BACKUP_MODE.</param>
    /// <param name="fullEvery">FULL_EVERY, or null for never forcing a full by age.</param>
    /// <param name="forceFull">--full.</param>
    /// <param name="clock">The clock FULL_EVERY is measured with.</param>
    public static BaseChoice Choose(IEnumerable<SnapshotRun> runs, SeriesId series, BackupMode mode, TimeSpan? fullEvery, bool forceFull, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(clock);
        if (forceFull) { return Full("--full was given"); }
        if (mode == BackupMode.Full) { return Full("BACKUP_MODE is full"); }
        var usable = runs.Where(r => r.Usable && r.Series == series).ToDictionary(r => r.RunKey, StringComparer.Ordinal);
        var chains = usable.Values.OrderBy(r => r.StartedAt).ThenBy(r => r.RunKey, StringComparer.Ordinal)
            .Select(r => ChainOf(r, usable)).OfType<List<SnapshotRun>>().ToList();
        if (chains.LastOrDefault(c => c.Count == 1) is not [var lastFull])
        {
            return Full("there is no earlier successful snapshot in this series");
        }
        var age = clock.GetUtcNow() - lastFull.StartedAt;
        if (fullEvery is { } limit && age >= limit)
        {
            return Full($"the last full snapshot ({lastFull.RunKey}) is {age.TotalDays:F0} days old, FULL_EVERY is {limit.TotalDays:F0} days");
        }
        if (mode == BackupMode.Differential)
        {
            return new BaseChoice(SnapshotKind.Differential, [lastFull.RunKey], $"differential on the last full snapshot {lastFull.RunKey}");
        }
        var latest = chains.Last(c => c[0] == lastFull);
        return new BaseChoice(SnapshotKind.Incremental, latest.Select(r => r.RunKey).ToList(), $"incremental on the previous snapshot {latest[^1].RunKey}");
    }

    private static BaseChoice Full(string why) => new(SnapshotKind.Full, [], why);

    /// <summary>The run's chain, full first; null when a link is missing or not usable (then no later run can build on it).</summary>
    private static List<SnapshotRun>? ChainOf(SnapshotRun run, Dictionary<string, SnapshotRun> usable)
    {
        var chain = new List<SnapshotRun> { run };
        while (chain[^1] is { Kind: not SnapshotKind.Full } link)
        {
            if (link.Base is null || !usable.TryGetValue(link.Base, out var older) || chain.Contains(older)) { return null; }
            chain.Add(older);
        }
        chain.Reverse();
        return chain;
    }
}

/// <summary>Default FULL_EVERY: a new chain no sooner than the storage's minimum billable duration, and at least monthly.</summary>
internal static class FullEveryDefaults
{
    /// <summary>The shortest default: chains of at most ~30 archives keep restores and the damage one bad archive can do small.</summary>
    public static readonly TimeSpan Floor = TimeSpan.FromDays(30);

    /// <summary>
    /// FULL_EVERY for storage billed at least <paramref name="minimumStorageDays"/> (DEEP_ARCHIVE 180, GLACIER and
    /// the Glacier vault API 90, local and STANDARD none): when a chain is retired, its full — by far its largest
    /// archive — has reached its minimum duration and can be deleted without an early-deletion fee.
    /// </summary>
    public static TimeSpan For(int? minimumStorageDays) =>
        minimumStorageDays is { } days && TimeSpan.FromDays(days) > Floor ? TimeSpan.FromDays(days) : Floor;
}
