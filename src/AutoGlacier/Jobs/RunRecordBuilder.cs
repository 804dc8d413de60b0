using System.Diagnostics;
using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>
/// The one place a backup's <see cref="RunRecord"/> is assembled, as the run learns it: what the plan says up front,
/// each file as the tar is written, warnings, the archive's facts once its last byte is written, and where the vault
/// stored it. The <see cref="RunJournal"/> adds its upload state on top. Thread-safe: the upload's journal builds the
/// record on the pump's thread while the tar writer counts files.
/// </summary>
internal sealed class RunRecordBuilder
{
    private readonly Lock _gate = new();
    private readonly RunRecord _initial;
    private readonly List<string> _warnings;
    private readonly ILogger _logger;
    private int _filesStored, _filesSkipped, _filesChanged;
    private long _plaintextBytes;
    private ArchiveFacts? _facts;
    private StoredArchive? _stored;
    private RunSnapshot? _snapshot;

    public RunRecordBuilder(BackupPlan plan, BackupRequest request)
    {
        _logger = request.Logger;
        _warnings = [.. plan.Gather.Warnings];
        _filesSkipped = plan.Gather.Skipped.Count;
        _initial = new RunRecord
        {
            Status = RunStatus.Started,
            StartedAt = DateTimeOffset.UtcNow,
            Description = request.Description,
            Job = request.JobName,
            Backend = plan.Vault.BackendName,
            VaultLocation = plan.Vault.Location,
            Region = plan.Vault.Capabilities.UsesRegion ? plan.Config.RegionName : null,
            Compression = plan.Codec.Name,
            EncryptionFormatVersion = ArchiveEncryption.FormatVersion,
            RecipientFingerprints = plan.Recipients.Select(r => r.Fingerprint).ToList(),
            Config = plan.Config.Summary(),
        };
    }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt => _initial.StartedAt;

    /// <summary>Adds a warning about the run as a whole (it then completes with warnings).</summary>
    public void Warn(string warning)
    {
        lock (_gate) { _warnings.Add(warning); }
        _logger.LogWarning("{Warning}", warning);
    }

    /// <summary>The archive's facts once the pipeline wrote its last byte; null before.</summary>
    public ArchiveFacts? Facts
    {
        get { lock (_gate) { return _facts; } }
    }

    /// <summary>Where the vault stored the archive; null until it did.</summary>
    public StoredArchive? Stored
    {
        get { lock (_gate) { return _stored; } }
    }

    /// <summary>The snapshot's decisions are complete (kind, base, counts); its catalog is not stored yet.</summary>
    public void SnapshotDecided(RunSnapshot snapshot)
    {
        lock (_gate) { _snapshot = snapshot; }
    }

    /// <summary>The run's snapshot as known now (with its catalog's place once stored).</summary>
    public RunSnapshot? Snapshot
    {
        get { lock (_gate) { return _snapshot; } }
    }

    /// <summary>Counts one file written into the tar (or skipped there) and warns about skipped or changed ones.</summary>
    public void Account(FileRecord file)
    {
        string? warning;
        lock (_gate)
        {
            warning = file.Status switch
            {
                FileStatus.Skipped => $"skipped '{file.Path}': {file.Reason}",
                FileStatus.ChangedWhileRead => $"'{file.Path}' changed while it was read; the stored copy may be inconsistent",
                _ => null,
            };
            if (file.Status == FileStatus.Skipped)
            {
                _filesSkipped++;
            }
            else
            {
                _filesChanged += file.Status == FileStatus.ChangedWhileRead ? 1 : 0;
                _filesStored++;
                _plaintextBytes += file.Size ?? 0;
            }
            if (warning is not null) { _warnings.Add(warning); }
        }
        if (warning is not null) { _logger.LogWarning("{Warning}", warning); }
    }

    /// <summary>The archive's last byte is written (called before the vault completes it: resumable records need the facts).</summary>
    public void ArchiveWritten(ArchiveFacts facts)
    {
        lock (_gate) { _facts = facts; }
    }

    /// <summary>The vault stored the archive.</summary>
    public void ArchiveStored(StoredArchive archive)
    {
        lock (_gate) { _stored = archive; }
    }

    /// <summary>The record as known now: counts, warnings, and the archive's facts and place once known.</summary>
    public RunRecord Build()
    {
        lock (_gate)
        {
            RunRecord record = _initial with
            {
                FilesStored = _filesStored,
                FilesSkipped = _filesSkipped,
                FilesChanged = _filesChanged,
                PlaintextSize = _plaintextBytes,
                Warnings = [.. _warnings],
                Snapshot = _snapshot,
            };
            if (_facts is { } facts)
            {
                record = record with { ArchiveSize = facts.Size, ArchiveSha256 = facts.Sha256, ArchiveTreeHash = facts.TreeHash, TarSize = facts.TarSize };
            }
            return _stored is not { } stored ? record : record with { ArchiveId = stored.ArchiveId, ArchiveLocation = stored.Location };
        }
    }

    /// <summary>The status a stored archive's run ends with (with warnings when anything was skipped, changed or warned about).</summary>
    public string FinalStatus() => RunStatus.Final(Build());

    /// <summary>What the caller gets back for a run that ended with <paramref name="status"/>.</summary>
    public BackupResult Result(string? runKey, string status, Stopwatch clock)
    {
        lock (_gate)
        {
            return new BackupResult
            {
                RunKey = runKey,
                Status = status,
                FilesStored = _filesStored,
                FilesSkipped = _filesSkipped,
                FilesChanged = _filesChanged,
                PlaintextSize = _plaintextBytes,
                Warnings = [.. _warnings],
                Elapsed = clock.Elapsed,
                ArchiveId = _stored?.ArchiveId,
                ArchiveSize = _stored is null ? 0 : _facts?.Size ?? 0,
                Snapshot = _snapshot,
                ExitCode = status switch
                {
                    RunStatus.Succeeded => ExitCodes.Success,
                    RunStatus.CompletedWithWarnings => ExitCodes.CompletedWithWarnings,
                    _ => ExitCodes.Error,
                },
            };
        }
    }
}

/// <summary>The finished archive's facts, known once the pipeline has written its last byte.</summary>
/// <param name="Sha256">SHA-256 of the stored (encrypted) archive, hex.</param>
/// <param name="TreeHash">Its SHA-256 tree hash (Glacier's), hex.</param>
/// <param name="Size">Bytes stored.</param>
/// <param name="TarSize">Bytes of the uncompressed tar.</param>
internal sealed record ArchiveFacts(string Sha256, string TreeHash, long Size, long TarSize)
{
    /// <summary>The compressed stream's independently decodable blocks (lzma), for the catalog; null for other codecs.</summary>
    public Compression.BlockMap? Blocks { get; init; }
}
