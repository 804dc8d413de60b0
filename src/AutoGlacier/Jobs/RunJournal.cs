using AutoGlacier.Log;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>
/// Writes a backup run's log record, from "started" to its end, and keeps it in step with the upload so a run whose
/// process dies can be resumed: the multipart ticket when the upload starts, the acknowledged parts (at least every
/// <see cref="PartsFlushInterval"/>), the sealed spool together with the file list, and a completion under way. The
/// journal owns that upload state (backend state, parts, status); every record it writes is the
/// <see cref="RunRecordBuilder"/>'s current record with that state folded in. Writes are serialised.
/// </summary>
/// <param name="log">The run's log.</param>
/// <param name="files">The run's file records (written with the record once the spool is sealed, and at the end).</param>
/// <param name="builder">The run's record as the backup knows it, without the journal's state.</param>
/// <param name="logger">For progress-write problems.</param>
internal sealed class RunJournal(JsonRunLog log, FileRecordSpool files, RunRecordBuilder builder, ILogger logger) : IUploadJournal, IDisposable
{
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly UploadPartLedger _parts = new();

    // Replaced, never mutated once published: the writer's thread reads it while the pump writes.
    private volatile IReadOnlyDictionary<string, string> _state = new Dictionary<string, string>(StringComparer.Ordinal);
    private volatile string? _status;
    private volatile bool _multipart;
    private int _partsInFlight;

    /// <summary>How often acknowledged parts are written to the log while uploading (each write rewrites the log).</summary>
    internal static TimeSpan PartsFlushInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The run's key, once <see cref="StartAsync"/> has written the run; null before.</summary>
    public string? RunKey { get; private set; }

    /// <summary>Where the run is logged (for messages).</summary>
    public string LogPath => log.Path;

    /// <summary>Archive bytes in the parts the vault acknowledged so far; null before any (and always for the local vault).</summary>
    public long? BytesUploaded => _parts.Bytes is var bytes and > 0 ? bytes : null;

    /// <summary>Part upload requests under way now; null until the run's multipart upload starts (always for the local vault).</summary>
    public int? PartsInFlight => _multipart ? Volatile.Read(ref _partsInFlight) : null;

    /// <summary>Sets one backend-state entry before the run is written (e.g. its lease).</summary>
    public void Set(string key, string value) => _state = new Dictionary<string, string>(_state, StringComparer.Ordinal) { [key] = value };

    /// <summary>The run's record as it stands: the builder's record with the journal's backend state, parts and status.</summary>
    public RunRecord Current() => Apply(builder.Build());

    /// <summary>Writes the run as started and returns its key.</summary>
    public async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        RunKey = await log.StartRunAsync(Current(), cancellationToken).ConfigureAwait(false);
        return RunKey;
    }

    /// <summary>Writes the run's last record (<paramref name="ending"/> applied to the current one) with its file list.</summary>
    public Task EndAsync(Func<RunRecord, RunRecord> ending, CancellationToken cancellationToken) =>
        RecordAsync(ending, withFiles: true, cancellationToken);

    /// <inheritdoc />
    public Task UploadStartedAsync(MultipartTicket ticket, CancellationToken cancellationToken)
    {
        logger.LogInformation("Run {RunKey}: multipart upload {UploadId} started ({PartSize} bytes per part)", RunKey, ticket.UploadId, ticket.PartSize);
        return RecordAsync(record => RunUploadState.WithTicket(record, ticket), withFiles: false, cancellationToken);
    }

    /// <inheritdoc />
    public void PartStored(UploadedPart part, long start) => _parts.Add(part, start);

    /// <inheritdoc />
    public void PartSending()
    {
        _multipart = true;
        Interlocked.Increment(ref _partsInFlight);
    }

    /// <inheritdoc />
    public void PartSent() => Interlocked.Decrement(ref _partsInFlight);

    /// <inheritdoc />
    /// <remarks>The file list goes into the log now: after a crash the resume has no other source for it.</remarks>
    public Task SpoolSealedAsync(string spoolPath, long size, CancellationToken cancellationToken) =>
        RecordAsync(record => RunUploadState.With(record, (RunUploadState.SpoolPath, spoolPath)) with { Status = RunStatus.Uploading },
            withFiles: true, cancellationToken);

    /// <inheritdoc />
    public Task CompletingAsync(string target, CancellationToken cancellationToken) =>
        RecordAsync(record => RunUploadState.With(record, (RunUploadState.CompletingTarget, target)), withFiles: false, cancellationToken);

    /// <summary>Writes newly acknowledged parts to the run's record every <see cref="PartsFlushInterval"/> until <paramref name="stop"/>.</summary>
    public async Task FlushPartsPeriodicallyAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(PartsFlushInterval);
        int written = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                int changes = _parts.Changes;
                if (changes != written)
                {
                    await RecordAsync(record => record, withFiles: false, stop).ConfigureAwait(false);
                    written = changes;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The upload ended; its final record carries every part.
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not record upload progress in the log {Log}: {Message}", log.Path, ex.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _write.Dispose();

    private RunRecord Apply(RunRecord record) => record with
    {
        BackendState = new Dictionary<string, string>(_state, StringComparer.Ordinal),
        UploadParts = _parts.Snapshot(),
        Status = _status ?? record.Status,
    };

    private async Task RecordAsync(Func<RunRecord, RunRecord> change, bool withFiles, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RunRecord record = change(Current());
            _state = new Dictionary<string, string>(record.BackendState, StringComparer.Ordinal);
            _status = record.Status; // "uploading" must survive a later ticket write (S3 may initiate after sealing)
            await (withFiles
                ? log.CompleteRunAsync(RunKey!, record, files, cancellationToken)
                : log.UpdateRunAsync(RunKey!, record, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }
}
