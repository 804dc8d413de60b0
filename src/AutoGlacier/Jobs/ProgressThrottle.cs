using System.Diagnostics;

namespace AutoGlacier;

/// <summary>
/// Sends a job's progress reports: at most one every 250 ms from the job's own events (a forced report always goes),
/// and, while ticking, one a second from a timer, so a long step without events (the rest of an upload, a big part
/// in flight) keeps reporting. Reports never overlap: a slow sink delays the next one instead.
/// </summary>
internal sealed class ProgressThrottle<T>(IProgress<T>? sink, Stopwatch clock, Func<TimeSpan, T> snapshot) : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly Lock _reporting = new();
    private Timer? _ticker;
    private TimeSpan? _lastReport;

    /// <summary>Starts the once-a-second reports (nothing happens without a sink).</summary>
    public void StartTicking()
    {
        if (sink is not null) { _ticker ??= new Timer(_ => Report(force: false), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)); }
    }

    /// <summary>Stops the once-a-second reports (before the last report, so none comes after it).</summary>
    public void StopTicking() => _ticker?.Dispose();

    /// <summary>Lets the next report go whenever it comes (a new phase's first event is not held back by the last phase's reports).</summary>
    public void ReportNextAtOnce()
    {
        lock (_reporting) { _lastReport = null; }
    }

    /// <summary>Reports a snapshot now, unless the last report was under 250 ms ago and <paramref name="force"/> is false.</summary>
    public void Report(bool force)
    {
        if (sink is null) { return; }
        lock (_reporting)
        {
            TimeSpan now = clock.Elapsed;
            if (!force && _lastReport is { } last && now - last < Interval) { return; }
            _lastReport = now;
            sink.Report(snapshot(now));
        }
    }

    /// <inheritdoc />
    public void Dispose() => StopTicking();
}
