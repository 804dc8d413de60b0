using AutoGlacier.Migration.Seed;
using AutoGlacier.Streams;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AutoGlacier.Log;

/// <summary>
/// The flat JSON log (JSON_DATABASE): one top-level object, each run under its launch unix timestamp key
/// ("1764232671.482113"). Every write is atomic (temp file, fsync, rename) under an exclusive lock file, so two
/// processes never lose each other's runs; an invalid log is reported and never overwritten.
/// </summary>
/// <remarks>
/// Writes stream the file: other runs are copied byte for byte and a run's file list is streamed from a
/// <see cref="FileRecordSpool"/>, so memory stays flat for runs of millions of files. Reads take no lock: writers
/// replace the file by rename, so a reader always sees one complete version.
/// </remarks>
public sealed class JsonRunLog
{
    /// <summary>Opens (does not yet create) the log at <paramref name="path"/>.</summary>
    public JsonRunLog(string path) => Path = path;

    /// <summary>The log file path.</summary>
    public string Path { get; }

    /// <summary>How long a write waits for another process's write to finish before failing (default 60 s).</summary>
    internal TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Records a new run with status "started" under a fresh, unique key and returns the key. The key is the record's
    /// <see cref="RunRecord.StartedAt"/> (now, if unset), bumped by 1 µs while another run already has it.
    /// </summary>
    /// <exception cref="AutoGlacierException">The log is invalid, or the lock stayed busy.</exception>
    internal Task<string> StartRunAsync(RunRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        DateTimeOffset launch = record.StartedAt == default ? DateTimeOffset.UtcNow : record.StartedAt;
        RunRecord started = record with { Status = RunStatus.Started, StartedAt = launch };
        return LogRewriter.RewriteAsync(Path, LockTimeout,
            (index, _) => new RunEdit(RunKeys.NewKey(launch, index), started, null), cancellationToken);
    }

    /// <summary>
    /// Replaces the run's record (e.g. to add backend state as it happens) keeping its file list. A run missing from
    /// the log (moved away meanwhile) is added rather than lost.
    /// </summary>
    internal Task UpdateRunAsync(string runKey, RunRecord record, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runKey);
        ArgumentNullException.ThrowIfNull(record);
        return LogRewriter.RewriteAsync(Path, LockTimeout, (index, source) =>
        {
            string key = SeedLog.UpdateKey(index, source, runKey); // a seed run's own record is never rewritten
            return new RunEdit(key, record, index.Find(key)?.Files is { } files ? RunJsonWriter.FromRange(source!, files) : null);
        }, cancellationToken);
    }

    /// <summary>
    /// Writes the run's final record together with its file list, streamed from <paramref name="files"/> (never
    /// loaded into memory). A run missing from the log is added rather than lost.
    /// </summary>
    internal Task CompleteRunAsync(string runKey, RunRecord record, FileRecordSpool files, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runKey);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(files);
        return LogRewriter.RewriteAsync(Path, LockTimeout,
            (_, _) => new RunEdit(runKey, record, RunJsonWriter.FromSpool(files)), cancellationToken);
    }

    /// <summary>
    /// All runs, ordered by key numerically (oldest first), without file lists. Entries that are not AutoGlacier
    /// run records are skipped (they stay in the file untouched).
    /// </summary>
    public Task<IReadOnlyList<KeyValuePair<string, RunRecord>>> ListRunsAsync(CancellationToken cancellationToken)
    {
        var runs = new List<KeyValuePair<string, RunRecord>>();
        using FileStream? log = LogFile.OpenRead(Path);
        if (log is not null)
        {
            foreach (RunEntry entry in LogScanner.Scan(log, Path).Runs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (LogFile.ReadRecord(log, entry) is { } record)
                {
                    runs.Add(new(entry.Key, record));
                }
            }
        }

        runs = SeedLog.Overlay(runs);
        runs.Sort((a, b) => RunKeys.Compare(a.Key, b.Key));
        return Task.FromResult<IReadOnlyList<KeyValuePair<string, RunRecord>>>(runs);
    }

    /// <summary>One run's record, or null.</summary>
    public Task<RunRecord?> GetRunAsync(string runKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using FileStream? log = LogFile.OpenRead(Path);
        RunEntry? entry = log is null ? null : SeedLog.Find(LogScanner.Scan(log, Path), runKey);
        return Task.FromResult(entry is null ? null : LogFile.ReadRecord(log!, entry));
    }

    /// <summary>Streams one run's file list (empty while the run has none).</summary>
    /// <exception cref="AutoGlacierException">The log has no run <paramref name="runKey"/>.</exception>
    public async IAsyncEnumerable<FileRecord> ReadFilesAsync(
        string runKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using FileStream? log = LogFile.OpenRead(Path);
        RunEntry entry = (log is null ? null : LogScanner.Scan(log, Path).Find(runKey))
            ?? throw new AutoGlacierException($"The JSON log '{Path}' has no run '{runKey}'.");
        if (entry.Files is not { } files)
        {
            yield break;
        }

        bool seedRun = LogFile.ReadRecord(log!, entry)?.Origin == SeedOrigins.JsonLog; // before the window: it may read the log
        await using var window = new BoundedReadStream(log!, files);
        if (seedRun)
        {
            await foreach (FileRecord file in SeedLog.ReadFilesAsync(window, cancellationToken).ConfigureAwait(false)) { yield return file; }
            yield break;
        }

        await foreach (FileRecord? file in JsonSerializer.DeserializeAsyncEnumerable(
            window, LogJsonContext.Default.FileRecord, cancellationToken).ConfigureAwait(false))
        {
            if (file is not null)
            {
                yield return file;
            }
        }
    }

    /// <summary>
    /// Writes the one-run document <c>{ "&lt;runKey&gt;": { …record…, "files": [ … ] } }</c> to
    /// <paramref name="output"/> (the archive's manifest), in exactly the log's format.
    /// </summary>
    internal static async Task WriteRunDocumentAsync(
        Stream output, string runKey, RunRecord record, FileRecordSpool files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrEmpty(runKey);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(files);
        var writer = new RunJsonWriter(output);
        writer.BeginDocument();
        await writer.WriteRunAsync(runKey, record, RunJsonWriter.FromSpool(files), cancellationToken).ConfigureAwait(false);
        await writer.EndDocumentAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes runs (without file lists) as one JSON object keyed by run key, for <c>list --json</c>.</summary>
    internal static async Task WriteRunListAsync(TextWriter output, IReadOnlyList<KeyValuePair<string, RunRecord>> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(runs);
        using var buffer = new MemoryStream();
        await using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, LogJsonContext.IndentedWriter))
        {
            writer.WriteStartObject();
            foreach (var (key, record) in runs)
            {
                writer.WritePropertyName(key);
                System.Text.Json.JsonSerializer.Serialize(writer, record, LogJsonContext.Default.RunRecord);
            }
            writer.WriteEndObject();
        }
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()).AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a document written by <see cref="WriteRunDocumentAsync"/> (e.g. an archive's manifest) from any stream,
    /// spooling it to <paramref name="tmpDir"/> so its file list can be streamed without holding it in memory.
    /// Dispose the result to delete the spooled copy.
    /// </summary>
    /// <exception cref="AutoGlacierException">The stream is not a one-run document.</exception>
    internal static async Task<RunDocument> ReadRunDocumentAsync(Stream input, string tmpDir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        Directory.CreateDirectory(tmpDir);
        string copy = System.IO.Path.Combine(tmpDir, $"autoglacier-manifest-{Guid.NewGuid():N}.json");
        try
        {
            await using (var file = new FileStream(copy, NewFileOptions.Create(FileAccess.Write, 64 * 1024, NewFileOptions.Private)))
            {
                await input.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            return RunDocument.Open(copy);
        }
        catch
        {
            File.Delete(copy);
            throw;
        }
    }
}
