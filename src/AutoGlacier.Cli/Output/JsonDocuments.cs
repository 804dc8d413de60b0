using AutoGlacier.Restore;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoGlacier.Cli.Output;

// The --json documents (one per command on stdout) and progress lines (stderr). docs/CLI-JSON.md is their schema:
// change both together. Every field is always present (null when unknown), so a consumer can rely on the keys.

/// <summary>A command that failed before it had a result: its exit code and the error.</summary>
internal sealed record ErrorJson(string Command, int ExitCode, string Error);

internal sealed record BackupJson(string Command, int ExitCode, string? RunKey, string Status, string? ArchiveId, long ArchiveSize,
    int FilesStored, int FilesRead, int? FilesTotal, int FilesSkipped, int FilesChanged, long BytesRead, double DurationSeconds, IReadOnlyList<string> Warnings, string? Error)
{
    /// <summary>The run's snapshot (kind, base, counts, catalog); null when the run ended before deciding it.</summary>
    public AutoGlacier.Log.RunSnapshot? Snapshot { get; init; }
}

internal sealed record RestoreJson(string Command, int ExitCode, string? RunKey, string? ArchiveId, int Entries, int FilesVerified,
    long Bytes, IReadOnlyList<string> SkippedSymlinks, IReadOnlyList<string> Problems, double DurationSeconds, IReadOnlyList<PlannedArchiveJson>? Plan);

/// <summary>One archive of a snapshot's plan (restore/verify --run of a snapshot run).</summary>
internal sealed record PlannedArchiveJson(string RunKey, string ArchiveId, long Entries, long Files, long Bytes, long? ArchiveSize)
{
    public static PlannedArchiveJson Of(PlannedArchive a) => new(a.RunKey, a.ArchiveId, a.Entries, a.Files, a.Bytes, a.ArchiveSize);
}

/// <summary>One archive's state in a snapshot restore's progress line.</summary>
internal sealed record ArchiveStatusJson(string RunKey, string ArchiveId, string Phase, long ArchiveBytesRead, long? ArchiveSize,
    long EntriesDone, long Entries, RetrievalJson? Retrieval);

internal sealed record ListJson(string Command, int ExitCode, IReadOnlyList<RunJson> Runs);

internal sealed record RunJson(string RunKey, string? StartedAt, string StartedAtSource, string Status, string? EndedAt, string Description,
    string? Job, string Backend, string? VaultLocation, string? ArchiveId, long? ArchiveSize, long? PlaintextSize,
    int FilesStored, int FilesRead, int FilesSkipped, int FilesChanged, string Compression, string? Error)
{
    /// <summary>The run's snapshot (kind, base, counts, catalog); null for runs logged before snapshots (full snapshots).</summary>
    public AutoGlacier.Log.RunSnapshot? Snapshot { get; init; }
}

internal sealed record ResumeJson(string Command, int ExitCode, IReadOnlyList<ResumeRunJson> Runs);

internal sealed record ResumeRunJson(string RunKey, string Outcome, string Message, string? ArchiveId);

internal sealed record DeleteJson(string Command, int ExitCode, string RunKey, string ArchiveId, string? Warning);

internal sealed record InventoryJson(string Command, int ExitCode, bool Pending, string? Message, int ArchivesInVault, bool Consistent,
    IReadOnlyList<VaultArchiveJson> UnknownToLog, IReadOnlyList<MissingJson> MissingFromVault, IReadOnlyList<SizeMismatchJson> SizeMismatches);

internal sealed record VaultArchiveJson(string ArchiveId, long Size, string CreatedAt, string? RunKey, string? Description);

internal sealed record MissingJson(string RunKey, string ArchiveId);

internal sealed record SizeMismatchJson(string RunKey, string ArchiveId, long LogSize, long VaultSize);

internal sealed record RecoverJson(string Command, int ExitCode, bool InventoryPending, string? Message, int CatalogsFound,
    IReadOnlyList<string> Recovered, IReadOnlyList<string> AlreadyPresent, IReadOnlyList<string> LocalCatalogsRestored, IReadOnlyList<RecoverProblemJson> Damaged, IReadOnlyList<RecoverProblemJson> Pending);

internal sealed record RecoverProblemJson(string? RunKey, string CatalogId, string Reason);

internal sealed record KeygenJson(string Command, int ExitCode, string PrivateKeyPath, string PublicKeyPath, string Fingerprint);

internal sealed record InitJson(string Command, int ExitCode, string ConfigPath, string Backend, IReadOnlyList<string> PublicKeyPaths,
    string? PrivateKeyPath, string? Fingerprint, string NextCommand);

internal sealed record LocalGlacierJson(string Command, int ExitCode, string Endpoint, string DataDirectory);

internal sealed record ImportSeedJson(string Command, int ExitCode, string JsonDatabase, IReadOnlyList<string> Imported, int AlreadyPresent);

internal sealed record MigrateJson(string Command, int ExitCode, bool Plan, string Tier, long TotalBytes, IReadOnlyList<MigratedRunJson> Runs);

internal sealed record MigratedRunJson(string RunKey, string From, string? To, long Size, long BytesDownloaded, int PartsUploaded,
    bool SourceDeleted, string? Note, string? CatalogTo, long CatalogBytesDownloaded);

internal sealed record BackupStatusJson(string MessageType, string Command, string Phase, int FilesDone, int FilesTotal, long BytesRead,
    long BytesTotal, long ArchiveBytes, long? BytesUploaded, int? PartsInFlight, double BytesPerSecond, double? UploadBytesPerSecond, double ElapsedSeconds,
    double? EtaSeconds, string? CurrentFile);

internal sealed record RestoreStatusJson(string MessageType, string Command, string Phase, long ArchiveBytesRead, long? ArchiveSize,
    double BytesPerSecond, int EntriesDone, int? EntriesTotal, long FileBytes, double ElapsedSeconds, double? EtaSeconds,
    string? CurrentEntry, RetrievalJson? Retrieval, IReadOnlyList<ArchiveStatusJson>? Archives);

internal sealed record ResumeStatusJson(string MessageType, string Command, string Phase, string RunKey, int RunNumber, int RunCount,
    int PartsDone, int PartsTotal, int PartsInFlight, long BytesUploaded, long ArchiveSize, double? BytesPerSecond, double ElapsedSeconds,
    double? EtaSeconds);

internal sealed record InventoryStatusJson(string MessageType, string Command, string Phase, int ArchivesListed, int RunsInLog,
    int? UnknownToLog, int? MissingFromVault, int? SizeMismatches, double ElapsedSeconds, RetrievalJson? Waiting);

internal sealed record RetrievalJson(string State, string? RequestedAt, double WaitedSeconds, string NextCheck);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorJson))]
[JsonSerializable(typeof(BackupJson))]
[JsonSerializable(typeof(RestoreJson))]
[JsonSerializable(typeof(ListJson))]
[JsonSerializable(typeof(ResumeJson))]
[JsonSerializable(typeof(DeleteJson))]
[JsonSerializable(typeof(InventoryJson))]
[JsonSerializable(typeof(RecoverJson))]
[JsonSerializable(typeof(KeygenJson))]
[JsonSerializable(typeof(InitJson))]
[JsonSerializable(typeof(LocalGlacierJson))]
[JsonSerializable(typeof(ImportSeedJson))]
[JsonSerializable(typeof(MigrateJson))]
[JsonSerializable(typeof(BackupStatusJson))]
[JsonSerializable(typeof(RestoreStatusJson))]
[JsonSerializable(typeof(ResumeStatusJson))]
[JsonSerializable(typeof(InventoryStatusJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>Paths stay readable (no \u escapes for non-ASCII); the output is never embedded in HTML.</summary>
    public static CliJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    });
}
