namespace AutoGlacier.Log;

/// <summary>
/// The flat JSON log (JSON_DATABASE): one top-level object, each run under its launch unix timestamp key
/// ("1764232671.482113"). Every write is atomic (temp file, fsync, rename) under an exclusive lock file, so two
/// processes never lose each other's runs; an invalid log is reported and never overwritten.
/// </summary>
public sealed class JsonRunLog
{
    /// <summary>Opens (does not yet create) the log at <paramref name="path"/>.</summary>
    public JsonRunLog(string path) => Path = path;

    /// <summary>The log file path.</summary>
    public string Path { get; }

    /// <summary>Records a new run with status "started" under a fresh, unique key and returns the key.</summary>
    public Task<string> StartRunAsync(RunRecord record, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Replaces the run's record (e.g. to add backend state as it happens) keeping its file list.</summary>
    public Task UpdateRunAsync(string runKey, RunRecord record, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Writes the run's final record together with its file list, streamed from <paramref name="files"/>.</summary>
    public Task CompleteRunAsync(string runKey, RunRecord record, FileRecordSpool files, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>All runs, oldest first, without file lists.</summary>
    public Task<IReadOnlyList<KeyValuePair<string, RunRecord>>> ListRunsAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>One run's record, or null.</summary>
    public Task<RunRecord?> GetRunAsync(string runKey, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Writes <c>{ "runKey": { record…, "files": […] } }</c> to <paramref name="output"/> (the archive manifest).</summary>
    public static Task WriteRunDocumentAsync(Stream output, string runKey, RunRecord record, FileRecordSpool files, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Streams the file list out of a run document written by <see cref="WriteRunDocumentAsync"/>.</summary>
    public static IAsyncEnumerable<FileRecord> ReadRunDocumentFilesAsync(Stream input, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Writes runs (without file lists) as one JSON object keyed by run key, for <c>list --json</c>.</summary>
    public static Task WriteRunListAsync(TextWriter output, IReadOnlyList<KeyValuePair<string, RunRecord>> runs, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Streams one run's file list.</summary>
    public IAsyncEnumerable<FileRecord> ReadFilesAsync(string runKey, CancellationToken cancellationToken) => throw new NotImplementedException();
}

/// <summary>
/// An append-only temporary file of <see cref="FileRecord"/>s (one JSON object per line) that a run fills as it
/// reads files, so the file list never has to sit in memory. Deleted on dispose.
/// </summary>
public sealed class FileRecordSpool : IDisposable
{
    /// <summary>Creates an empty spool in <paramref name="tmpDir"/>.</summary>
    public FileRecordSpool(string tmpDir) => throw new NotImplementedException();

    /// <summary>Number of records appended.</summary>
    public int Count => throw new NotImplementedException();

    /// <summary>Appends one record.</summary>
    public void Append(FileRecord record) => throw new NotImplementedException();

    /// <summary>Reads the records back in order (the spool can be read several times).</summary>
    public IEnumerable<FileRecord> ReadAll() => throw new NotImplementedException();

    /// <inheritdoc />
    public void Dispose() => throw new NotImplementedException();
}
