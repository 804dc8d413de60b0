using AutoGlacier.Log;

namespace AutoGlacier.Restore;

/// <summary>
/// The SHA-256 each stored file must have, from the run's log entry when there is one, else from the archive's own
/// manifest (its last entry). Hashes computed before the manifest arrives are checked when it does.
/// </summary>
internal sealed class ExpectedHashes
{
    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _problems;
    private readonly string _tmpDir;
    private bool _known;

    private readonly string _algorithm;

    /// <summary>Checks against SHA-256 hashes, or another algorithm's (<paramref name="algorithm"/> names it in problems: the seed's SHA-512).</summary>
    public ExpectedHashes(List<string> problems, string tmpDir, string algorithm = "SHA-256")
    {
        _algorithm = algorithm;
        _problems = problems;
        _tmpDir = tmpDir;
    }

    public int Verified { get; private set; }

    public async Task LoadFromLogAsync(JsonRunLog log, string runKey, CancellationToken cancellationToken)
    {
        await foreach (var file in log.ReadFilesAsync(runKey, cancellationToken).ConfigureAwait(false))
        {
            Remember(file);
        }
        _known = true;
    }

    /// <summary>Reads the manifest; it is authoritative only when the log had no entry for the run.</summary>
    public async Task LoadFromManifestAsync(Stream manifest, CancellationToken cancellationToken)
    {
        if (_known) { return; }
        using var document = await JsonRunLog.ReadRunDocumentAsync(manifest, _tmpDir, cancellationToken).ConfigureAwait(false);
        await foreach (var file in document.ReadFilesAsync(cancellationToken).ConfigureAwait(false))
        {
            Remember(file);
        }
        _known = true;
        foreach (var (name, hash) in _pending) { Check(name, hash); }
        _pending.Clear();
    }

    /// <summary>Notes that the archive holds this entry (before it is handled, so a failed entry is not "missing").</summary>
    public void MarkSeen(string archiveName) => _seen.Add(archiveName);

    /// <summary>The hash the log recorded for the entry, when the log's file list is loaded.</summary>
    public string? Expected(string archiveName) => _known ? _expected.GetValueOrDefault(archiveName) : null;

    public void Check(string archiveName, string actualHash)
    {
        if (!_known)
        {
            _pending[archiveName] = actualHash;
            return;
        }
        if (!_expected.TryGetValue(archiveName, out var expected))
        {
            _problems.Add($"'{archiveName}' is in the archive but not in the run's file list");
        }
        else if (!string.Equals(expected, actualHash, StringComparison.Ordinal))
        {
            _problems.Add($"'{archiveName}' has {_algorithm} {actualHash}, the log says {expected}");
        }
        else
        {
            Verified++;
        }
    }

    /// <summary>Reports files the run stored that the archive did not contain (only for whole-archive operations).</summary>
    public void ReportMissing()
    {
        if (!_known)
        {
            _problems.Add("the archive has no manifest and the log has no file list for it: file hashes could not be checked");
            return;
        }
        foreach (var name in _expected.Keys.Where(n => !_seen.Contains(n)))
        {
            _problems.Add($"'{name}' is in the run's file list but not in the archive");
        }
    }

    private void Remember(FileRecord file)
    {
        if (file.Hash is not null && file.ArchiveName is not null && file.Status != FileStatus.Skipped)
        {
            _expected[file.ArchiveName] = file.Hash;
        }
    }
}
