using AutoGlacier.Log;

namespace AutoGlacier.Restore;

/// <summary>Which archive to read: a run key, the latest successful run, or a vault archive id.</summary>
public sealed record RunSelector
{
    /// <summary>A run key from the log.</summary>
    public string? RunKey { get; init; }
    /// <summary>The newest run that stored an archive.</summary>
    public bool Latest { get; init; }
    /// <summary>An archive id in the vault (works without a log entry: hashes then come from the manifest).</summary>
    public string? ArchiveId { get; init; }
    /// <summary>The archive is in the Python seed's format (for an <see cref="ArchiveId"/> the log does not know; seed runs are recognised by themselves).</summary>
    public bool SeedFormat { get; init; }

    /// <summary>Finds the run in the log. Returns (key, record); the record is null only for an archive id unknown to the log.</summary>
    /// <exception cref="AutoGlacierException">No such run, or the run has no archive.</exception>
    public async Task<(string? RunKey, RunRecord? Record)> ResolveAsync(JsonRunLog log, CancellationToken cancellationToken)
    {
        var runs = File.Exists(log.Path) ? await log.ListRunsAsync(cancellationToken).ConfigureAwait(false) : [];
        if (ArchiveId is not null)
        {
            var match = runs.LastOrDefault(r => r.Value.ArchiveId == ArchiveId);
            return match.Value is null ? (null, null) : (match.Key, match.Value);
        }
        if (Latest)
        {
            var latest = runs.LastOrDefault(r => r.Value.ArchiveId is not null && r.Value.Status != RunStatus.Failed);
            return latest.Value is null
                ? throw new AutoGlacierException($"The log {log.Path} has no completed run to restore; run 'autoglacier list' to see what it holds.")
                : (latest.Key, latest.Value);
        }
        var key = RunKey ?? throw new AutoGlacierException("Name the run: --run KEY, --latest or --archive ID.");
        var run = runs.FirstOrDefault(r => r.Key == key);
        if (run.Value is null)
        {
            throw new AutoGlacierException($"Run '{key}' is not in the log {log.Path}; run 'autoglacier list' to see the run keys.");
        }
        if (run.Value.ArchiveId is null)
        {
            string unfinished = run.Value.Status is RunStatus.Uploading or RunStatus.Interrupted
                ? " Its archive is complete in the upload spool: 'autoglacier resume --config FILE' finishes the upload."
                : "";
            throw new AutoGlacierException($"Run '{key}' has no archive (status {run.Value.Status}{(run.Value.Error is null ? "" : ": " + run.Value.Error)}).{unfinished}");
        }
        return (run.Key, run.Value);
    }
}
