using System.Globalization;
using System.Text.Json;
using AutoGlacier.Restore;

namespace AutoGlacier.Cli.Output;

/// <summary>Progress reports as one-line JSON status messages (docs/CLI-JSON.md, "Progress lines").</summary>
internal static class ProgressJson
{
    public static string Backup(BackupProgress p) => JsonSerializer.Serialize(new BackupStatusJson("status", "backup", p.Phase,
        p.FilesDone, p.FilesTotal, p.BytesRead, p.BytesTotal, p.BytesWritten, p.BytesUploaded, p.PartsInFlight, Math.Round(p.BytesPerSecond),
        p.UploadBytesPerSecond is { } up ? Math.Round(up) : null, Units.Seconds(p.Elapsed),
        p.EstimatedRemaining is { } eta ? Units.Seconds(eta) : null, p.CurrentFile), CliJsonContext.Relaxed.BackupStatusJson);

    public static string Restore(string command, RestoreProgress p) => JsonSerializer.Serialize(new RestoreStatusJson("status", command, p.Phase,
        p.ArchiveBytesRead, p.ArchiveSize, Math.Round(p.BytesPerSecond), p.EntriesDone, p.EntriesTotal, p.FileBytes, Units.Seconds(p.Elapsed),
        p.EstimatedRemaining is { } eta ? Units.Seconds(eta) : null, p.CurrentEntry,
        RetrievalOf(p.Retrieval), p.Archives?.Select(a => new ArchiveStatusJson(a.Archive.RunKey, a.Archive.ArchiveId, a.Phase, a.ArchiveBytesRead,
            a.Archive.ArchiveSize, a.EntriesDone, a.Archive.Entries, RetrievalOf(a.Retrieval))).ToList()),
        CliJsonContext.Relaxed.RestoreStatusJson);

    public static string Resume(ResumeProgress p) => JsonSerializer.Serialize(new ResumeStatusJson("status", "resume", p.Phase, p.RunKey,
        p.RunNumber, p.RunCount, p.PartsDone, p.PartsTotal, p.PartsInFlight, p.BytesUploaded, p.ArchiveSize,
        p.BytesPerSecond is { } rate ? Math.Round(rate) : null, Units.Seconds(p.Elapsed),
        p.EstimatedRemaining is { } eta ? Units.Seconds(eta) : null), CliJsonContext.Relaxed.ResumeStatusJson);

    public static string Inventory(InventoryProgress p) => JsonSerializer.Serialize(new InventoryStatusJson("status", "inventory", p.Phase,
        p.ArchivesListed, p.RunsInLog, p.UnknownToLog, p.MissingFromVault, p.SizeMismatches, Units.Seconds(p.Elapsed),
        RetrievalOf(p.Waiting)), CliJsonContext.Relaxed.InventoryStatusJson);

    private static RetrievalJson? RetrievalOf(RetrievalWait? wait) => wait is { } r
        ? new RetrievalJson(r.State, r.RequestedAt, Units.Seconds(r.Waited), r.NextCheck.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
        : null;
}
