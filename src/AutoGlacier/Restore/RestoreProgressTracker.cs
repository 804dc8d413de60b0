using System.Diagnostics;

namespace AutoGlacier.Restore;

/// <summary>
/// Turns a restore's or verify's counters into <see cref="RestoreProgress"/> reports: on every entry (at most four a
/// second) and once a second from a timer, so a single large file or a long download keeps reporting.
/// </summary>
internal sealed class RestoreProgressTracker : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly IProgress<RestoreProgress>? _sink;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _reporting = new();
    private Timer? _ticker;
    private TimeSpan? _lastReport;
    private TimeSpan _readingSince;
    private Func<long> _archiveBytes = () => 0;
    private long? _archiveSize;
    private int? _entriesTotal;
    private int _entriesDone;
    private long _fileBytes;
    private string? _currentEntry;
    private bool _reading;
    private readonly Func<IReadOnlyList<ArchiveProgress>>? _archives;

    /// <summary>Reports to <paramref name="sink"/>; <paramref name="archives"/> gives a snapshot's per-archive states for every report.</summary>
    public RestoreProgressTracker(IProgress<RestoreProgress>? sink, Func<IReadOnlyList<ArchiveProgress>>? archives = null) =>
        (_sink, _archives) = (sink, archives);

    /// <summary>Reports a retrieval being waited for.</summary>
    public void Waiting(RetrievalWait wait) =>
        _sink?.Report(new RestoreProgress
        {
            Phase = RestorePhase.Retrieving, Retrieval = wait, ArchiveSize = _archiveSize, Elapsed = _clock.Elapsed, Archives = _archives?.Invoke(),
        });

    /// <summary>Reports a snapshot's plan (before anything is requested), with its totals.</summary>
    public void Planned(long? archiveSize, int entriesTotal)
    {
        (_archiveSize, _entriesTotal) = (archiveSize, entriesTotal);
        Report(force: true, RestorePhase.Planned);
    }

    /// <summary>Reports a change of an archive's state: always, or throttled like entries (<paramref name="force"/> false).</summary>
    public void Refresh(bool force = true) => Report(force);

    /// <summary>Reading starts: where the archive byte count comes from, and the totals the log knows.</summary>
    public void StartReading(Func<long> archiveBytes, long? archiveSize, int? entriesTotal)
    {
        (_archiveBytes, _archiveSize, _entriesTotal, _readingSince, _reading) = (archiveBytes, archiveSize, entriesTotal, _clock.Elapsed, true);
        if (_sink is not null) { _ticker = new Timer(_ => Report(force: false), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)); }
        Report(force: true);
    }

    /// <summary>An entry is being handled.</summary>
    public void Entry(string name)
    {
        _currentEntry = name;
        Report(force: false);
    }

    /// <summary>An entry is done, with <paramref name="bytes"/> of file content.</summary>
    public void EntryDone(long bytes)
    {
        Interlocked.Increment(ref _entriesDone);
        Interlocked.Add(ref _fileBytes, bytes);
        Report(force: false);
    }

    /// <summary>The archive was read to its end.</summary>
    public void Done()
    {
        _ticker?.Dispose();
        _currentEntry = null;
        Report(force: true, RestorePhase.Done);
    }

    public void Dispose() => _ticker?.Dispose();

    private void Report(bool force, string? phase = null)
    {
        if (_sink is null) { return; }
        phase ??= _reading ? RestorePhase.Reading : RestorePhase.Retrieving;
        lock (_reporting)
        {
            TimeSpan now = _clock.Elapsed;
            if (!force && _lastReport is { } last && now - last < Interval) { return; }
            _lastReport = now;
            long read = _archiveBytes();
            double rate = read / Math.Max((now - _readingSince).TotalSeconds, 1e-3);
            _sink.Report(new RestoreProgress
            {
                Phase = phase, ArchiveBytesRead = read, ArchiveSize = _archiveSize, BytesPerSecond = rate,
                EntriesDone = Volatile.Read(ref _entriesDone), EntriesTotal = _entriesTotal, FileBytes = Interlocked.Read(ref _fileBytes),
                CurrentEntry = _currentEntry, Elapsed = now, Archives = _archives?.Invoke(),
                EstimatedRemaining = phase == RestorePhase.Done ? TimeSpan.Zero
                    : _archiveSize is { } size && read > 0 ? TimeSpan.FromSeconds(Math.Max(0, size - read) / rate) : null,
            });
        }
    }
}
