using System.Diagnostics;
using AutoGlacier.Gathering;

namespace AutoGlacier;

/// <summary>
/// Turns byte counts into <see cref="BackupProgress"/> reports, at most about four a second. A timer also reports
/// once a second, so an upload that goes on after the last file was read (hours, for a cloud backend) keeps reporting.
/// </summary>
internal sealed class ProgressTracker : IDisposable
{
    private int _filesTotal;
    private long _bytesTotal;
    private readonly ProgressThrottle<BackupProgress> _throttle;
    private TimeSpan? _firstUpload;
    private long _bytesRead;
    private int _filesDone;
    private string? _currentFile;
    private string _phase = BackupPhase.Surveying;

    public ProgressTracker(IProgress<BackupProgress>? sink, Stopwatch clock) =>
        _throttle = new ProgressThrottle<BackupProgress>(sink, clock, Snapshot);

    /// <summary>Starts reporting the survey walk: one report now, then as it counts (<see cref="Surveyed"/>) and once a second.</summary>
    public void StartSurvey()
    {
        _throttle.StartTicking();
        Report(force: true);
    }

    /// <summary>The survey has found <paramref name="entries"/> entries so far, regular files of <paramref name="bytes"/> bytes.</summary>
    public void Surveyed(int entries, long bytes)
    {
        (_filesTotal, _bytesTotal) = (entries, bytes);
        Report(force: false);
    }

    /// <summary>
    /// Reading begins, against the totals the gather's survey counted (the entries and their regular files' bytes): the
    /// first file's start is reported at once, however recent the survey's last report.
    /// </summary>
    public void Begin(int filesTotal, long bytesTotal)
    {
        (_filesTotal, _bytesTotal, _phase) = (filesTotal, bytesTotal, BackupPhase.Reading);
        _throttle.StartTicking();
        _throttle.ReportNextAtOnce();
    }

    /// <summary>Reads the archive bytes written so far.</summary>
    public Func<long> ArchiveBytes { get; set; } = () => 0;

    /// <summary>Reads the archive bytes the vault acknowledged so far (null: the backend has no separate upload).</summary>
    public Func<long?> UploadedBytes { get; set; } = () => null;

    /// <summary>Reads the parts being uploaded now (null: the backend has no multipart upload).</summary>
    public Func<int?> PartsInFlight { get; set; } = () => null;

    public void StartFile(string path)
    {
        _currentFile = path;
        Report(force: false);
    }

    public void AddBytes(int count)
    {
        Interlocked.Add(ref _bytesRead, count);
        Report(force: false);
    }

    /// <summary>An entry the snapshot's base already holds: counted as done, with its bytes, without being read.</summary>
    public void FinishUnreadFile(long bytes)
    {
        Interlocked.Add(ref _bytesRead, bytes);
        FinishFile();
    }

    public void FinishFile()
    {
        _filesDone++;
        if (_filesDone == _filesTotal)
        {
            _phase = BackupPhase.Finishing; // the last file stays current in this report; the stored report has none
        }

        Report(force: _filesDone == _filesTotal);
    }

    /// <summary>A last report once the archive is stored, with its final size.</summary>
    public void ReportStored()
    {
        (_phase, _currentFile) = (BackupPhase.Stored, null);
        _throttle.StopTicking();
        Report(force: true);
    }

    /// <summary>Stops the timer (the run ended, however it ended).</summary>
    public void Dispose() => _throttle.Dispose();

    private void Report(bool force) => _throttle.Report(force);

    private BackupProgress Snapshot(TimeSpan now)
    {
        long read = Interlocked.Read(ref _bytesRead);
        long written = ArchiveBytes();
        long? uploaded = UploadedBytes();
        int? inFlight = PartsInFlight();
        // The upload's clock starts when its first part is seen in flight: timed from the first acknowledgement, that
        // whole part would count as sent in no time (a 128 MiB part showed as "279 GiB/s").
        if (inFlight > 0 || uploaded > 0) { _firstUpload ??= now; }
        double rate = read / Math.Max(now.TotalSeconds, 1e-3);
        double? uploadRate = _firstUpload is { } first && uploaded > 0 && now > first ? uploaded.Value / (now - first).TotalSeconds : null;
        return new BackupProgress(read, written, _currentFile, rate, _filesDone, _filesTotal)
        {
            BytesTotal = _bytesTotal,
            BytesUploaded = uploaded,
            PartsInFlight = inFlight,
            UploadBytesPerSecond = uploadRate,
            Phase = _phase,
            Elapsed = now,
            EstimatedRemaining = Remaining(read, rate, written, uploaded, uploadRate),
        };
    }

    /// <summary>Reading: the bytes left at the read rate. Uploading after the last file: the archive bytes left at the upload rate.</summary>
    private TimeSpan? Remaining(long read, double rate, long written, long? uploaded, double? uploadRate) => _phase switch
    {
        BackupPhase.Stored => TimeSpan.Zero,
        BackupPhase.Finishing when uploaded is { } up && uploadRate > 0 => TimeSpan.FromSeconds(Math.Max(0, written - up) / uploadRate.Value),
        BackupPhase.Finishing or BackupPhase.Surveying => null,
        _ when read > 0 && rate > 0 => TimeSpan.FromSeconds(Math.Max(0, _bytesTotal - read) / rate),
        _ => null,
    };
}
