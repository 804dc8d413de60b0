using System.Globalization;
using AutoGlacier.Cli.Output;
using AutoGlacier.Log;

namespace AutoGlacier.Cli.Commands;

/// <summary>
/// How <c>list</c> describes a run honestly: files count as stored only when an archive was stored, and a run
/// without a start time (a record written by the Python seed) is dated by its key (the seed's launch time.time()),
/// never shown as 0001-01-01.
/// </summary>
internal static class RunListing
{
    /// <summary>The status shown for a record AutoGlacier did not write (no started_at): its status cannot be known.</summary>
    public const string UnknownStatus = "unknown";

    public static RunJson Describe(string runKey, RunRecord run)
    {
        var (started, source) = StartedAt(runKey, run);
        bool foreign = run.StartedAt == default;
        bool stored = run.ArchiveId is not null;
        return new RunJson(runKey, started is { } at ? Stamp(at) : null, source, foreign ? UnknownStatus : run.Status,
            run.EndedAt is { } ended ? Stamp(ended) : null, run.Description, run.Job, run.Backend, run.VaultLocation, run.ArchiveId,
            run.ArchiveSize, run.PlaintextSize, stored ? run.FilesStored : 0, run.FilesStored, run.FilesSkipped, run.FilesChanged,
            run.Compression, run.Error) { Snapshot = run.Snapshot };
    }

    /// <summary>The snapshot's kind, and for an incremental or differential the run it is based on.</summary>
    public static string SnapshotColumn(RunJson run) => run.Snapshot is { } snapshot
        ? snapshot.Base is { } basis ? $"{snapshot.Kind} on {basis}" : snapshot.Kind
        : run.ArchiveId is null ? "-" : "full";

    /// <summary>"record" (started_at in the log), "run_key" (the key's unix time: seed records) or "unknown".</summary>
    private static (DateTimeOffset? At, string Source) StartedAt(string runKey, RunRecord run)
    {
        // The Python seed's records hold no start time of ours: the seed reader dates them by their key.
        if (run.StartedAt != default) { return (run.StartedAt, AutoGlacier.Migration.Seed.SeedOrigins.IsSeed(run.Origin) ? "run_key" : "record"); }
        return decimal.TryParse(runKey, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds)
               && seconds is > 0 and < 253_402_300_800m // before year 10000
            ? (DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)), "run_key")
            : (null, "unknown");
    }

    public static string StartedColumn(RunJson run) =>
        run.StartedAt is null ? "unknown" : run.StartedAt[..19].Replace('T', ' ');

    /// <summary>Stored files; for a run that stored nothing, 0 and how many files it had read before it ended.</summary>
    public static string FilesColumn(RunJson run) =>
        run.ArchiveId is not null || run.FilesRead == 0 ? Units.Count(run.FilesStored) : $"0 ({Units.Count(run.FilesRead)} read)";

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
