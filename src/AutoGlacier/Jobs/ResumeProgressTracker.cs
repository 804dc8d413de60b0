using System.Diagnostics;

namespace AutoGlacier;

/// <summary>
/// Turns one resumed upload's part acknowledgements into <see cref="ResumeProgress"/> reports. Its methods are the
/// upload journal's calls (<see cref="UnfinishedRun"/> forwards them), made concurrently by the parts in flight.
/// </summary>
internal sealed class ResumeProgressTracker : IDisposable
{
    private readonly ResumeProgress _run;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _state = new();
    private readonly ProgressThrottle<ResumeProgress> _throttle;
    private string _phase = ResumePhase.Checking;
    private int _partsDone;
    private long _bytesHeld;
    private int _inFlight;
    private TimeSpan? _sendingSince;
    private long _bytesSent;

    /// <summary>Starts reporting on <paramref name="run"/> (its sizes and position set); a first report goes out at once.</summary>
    public ResumeProgressTracker(IProgress<ResumeProgress> sink, ResumeProgress run)
    {
        _run = run;
        _throttle = new ProgressThrottle<ResumeProgress>(sink, _clock, Snapshot);
        _throttle.StartTicking();
        _throttle.Report(force: true);
    }

    /// <summary>A part's request starts: from the first one on, the resume is uploading and its rate is timed.</summary>
    public void PartSending()
    {
        Interlocked.Increment(ref _inFlight);
        bool first;
        lock (_state)
        {
            first = _sendingSince is null;
            _sendingSince ??= _clock.Elapsed;
            _phase = ResumePhase.Uploading;
        }

        _throttle.Report(force: first); // the change of phase always shows
    }

    /// <summary>A part's request ended, however it ended.</summary>
    public void PartSent() => Interlocked.Decrement(ref _inFlight);

    /// <summary>The vault holds a part of <paramref name="length"/> bytes: found already stored, or sent now.</summary>
    /// <remarks>A part acknowledged while parts are in flight counts as sent now (for the rate): a part found stored
    /// in between is rare (the held parts come first) and only makes the rate look a little better.</remarks>
    public void PartStored(long length)
    {
        Interlocked.Increment(ref _partsDone);
        Interlocked.Add(ref _bytesHeld, length);
        if (Volatile.Read(ref _inFlight) > 0) { Interlocked.Add(ref _bytesSent, length); }
        _throttle.Report(force: false);
    }

    /// <summary>Every part is held; the upload is being completed.</summary>
    public void Completing()
    {
        lock (_state) { _phase = ResumePhase.Completing; }
        _throttle.Report(force: true);
    }

    /// <summary>The run is settled: a last report, with every part counted if it was stored.</summary>
    public void Done(bool stored)
    {
        _throttle.StopTicking();
        lock (_state)
        {
            _phase = ResumePhase.Done;
            if (stored) { (_partsDone, _bytesHeld) = (_run.PartsTotal, _run.ArchiveSize); }
        }

        _throttle.Report(force: true);
    }

    /// <inheritdoc />
    public void Dispose() => _throttle.Dispose();

    private ResumeProgress Snapshot(TimeSpan now)
    {
        lock (_state)
        {
            long held = Interlocked.Read(ref _bytesHeld);
            long sent = Interlocked.Read(ref _bytesSent);
            double? rate = _sendingSince is { } since && sent > 0 && now > since ? sent / (now - since).TotalSeconds : null;
            return _run with
            {
                Phase = _phase,
                PartsDone = Volatile.Read(ref _partsDone),
                BytesUploaded = held,
                PartsInFlight = Volatile.Read(ref _inFlight),
                BytesPerSecond = rate,
                Elapsed = now,
                EstimatedRemaining = _phase == ResumePhase.Done ? TimeSpan.Zero
                    : rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, _run.ArchiveSize - held) / rate.Value) : null,
            };
        }
    }
}
