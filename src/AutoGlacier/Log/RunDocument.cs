namespace AutoGlacier.Log;

/// <summary>
/// A one-run document (an archive's manifest) read back by <see cref="JsonRunLog.ReadRunDocumentAsync"/>. Holds a
/// temporary copy of the document, deleted on dispose.
/// </summary>
internal sealed class RunDocument : IDisposable
{
    private readonly JsonRunLog _copy;

    private RunDocument(JsonRunLog copy, string runKey, RunRecord record)
    {
        _copy = copy;
        RunKey = runKey;
        Record = record;
    }

    /// <summary>The run key the document was written under.</summary>
    public string RunKey { get; }

    /// <summary>The run's record.</summary>
    public RunRecord Record { get; }

    /// <summary>Streams the run's file list.</summary>
    public IAsyncEnumerable<FileRecord> ReadFilesAsync(CancellationToken cancellationToken) =>
        _copy.ReadFilesAsync(RunKey, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => File.Delete(_copy.Path);

    /// <summary>Validates the spooled document at <paramref name="path"/>: exactly one AutoGlacier run.</summary>
    internal static RunDocument Open(string path)
    {
        using FileStream file = LogFile.OpenRead(path)!;
        LogIndex index = LogScanner.Scan(file, path);
        RunRecord? record = index.Runs.Count == 1 ? LogFile.ReadRecord(file, index.Runs[0]) : null;
        if (record is null)
        {
            throw new AutoGlacierException(
                $"The run document (manifest) is not a single AutoGlacier run record: it holds {index.Runs.Count} entries. " +
                "It may come from a different tool or be damaged.");
        }

        return new RunDocument(new JsonRunLog(path), index.Runs[0].Key, record);
    }
}
