using System.Diagnostics;

namespace AutoGlacier;

/// <summary>Turns byte counts into <see cref="BackupProgress"/> reports, at most about four a second.</summary>
internal sealed class ProgressTracker(IProgress<BackupProgress>? sink, int filesTotal, Stopwatch clock)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private TimeSpan? _lastReport;
    private long _bytesRead;
    private int _filesDone;
    private string? _currentFile;

    /// <summary>Reads the archive bytes written so far.</summary>
    public Func<long> ArchiveBytes { get; set; } = () => 0;

    public void StartFile(string path)
    {
        _currentFile = path;
        Report(force: false);
    }

    public void AddBytes(int count)
    {
        _bytesRead += count;
        Report(force: false);
    }

    public void FinishFile()
    {
        _filesDone++;
        Report(force: _filesDone == filesTotal);
    }

    /// <summary>A last report once the archive is stored, with its final size.</summary>
    public void ReportStored() => Report(force: true);

    private void Report(bool force)
    {
        if (sink is null || (!force && _lastReport is { } last && clock.Elapsed - last < Interval)) { return; }
        _lastReport = clock.Elapsed;
        var rate = _bytesRead / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        sink.Report(new BackupProgress(_bytesRead, ArchiveBytes(), _currentFile, rate, _filesDone, filesTotal));
    }
}
