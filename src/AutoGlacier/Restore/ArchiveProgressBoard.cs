namespace AutoGlacier.Restore;

/// <summary>
/// The state of each archive of a snapshot's restore or verify, updated from the retrieval waits (any thread) and
/// the reading loop, and read for every progress report.
/// </summary>
internal sealed class ArchiveProgressBoard
{
    private readonly Lock _lock = new();
    private readonly ArchiveProgress[] _states;
    private readonly long[] _finishedBytes;
    private Func<long>? _reading;
    private int _readingIndex = -1;

    public ArchiveProgressBoard(IReadOnlyList<PlannedArchive> plan)
    {
        _states = plan.Select(a => new ArchiveProgress { Archive = a, Phase = ArchivePhase.Planned }).ToArray();
        _finishedBytes = new long[plan.Count];
    }

    /// <summary>True while an archive is being read (then retrieval waits are not the headline).</summary>
    public bool IsReading
    {
        get { lock (_lock) { return _reading is not null; } }
    }

    /// <summary>Archive <paramref name="index"/> is waiting for its retrieval.</summary>
    public void Waiting(int index, RetrievalWait? wait) =>
        Update(index, s => s with { Phase = ArchivePhase.Waiting, Retrieval = wait ?? s.Retrieval });

    /// <summary>Archive <paramref name="index"/> is readable.</summary>
    public void Ready(int index) => Update(index, s => s with { Phase = ArchivePhase.Ready, Retrieval = null });

    /// <summary>Archive <paramref name="index"/> is opened; <paramref name="bytesRead"/> counts its stored bytes read.</summary>
    public void StartReading(int index, Func<long> bytesRead)
    {
        lock (_lock) { (_reading, _readingIndex) = (bytesRead, index); }
        Update(index, s => s with { Phase = ArchivePhase.Downloading });
    }

    /// <summary>The archive being read reached its first wanted entry; true when that is news (its phase changed).</summary>
    public bool Extracting(int index)
    {
        lock (_lock)
        {
            if (_states[index].Phase == ArchivePhase.Extracting) { return false; }
            _states[index] = _states[index] with { Phase = ArchivePhase.Extracting };
            return true;
        }
    }

    /// <summary><paramref name="count"/> more wanted entries of archive <paramref name="index"/> are done.</summary>
    public void EntriesDone(int index, int count) => Update(index, s => s with { EntriesDone = s.EntriesDone + count });

    /// <summary>Archive <paramref name="index"/> was read to its end: <paramref name="size"/> stored bytes.</summary>
    public void Done(int index, long size)
    {
        lock (_lock)
        {
            (_reading, _readingIndex, _finishedBytes[index]) = (null, -1, size);
            _states[index] = _states[index] with { Phase = ArchivePhase.Done, ArchiveBytesRead = size };
        }
    }

    /// <summary>Stored bytes read over all archives.</summary>
    public long TotalBytesRead()
    {
        lock (_lock) { return _finishedBytes.Sum() + (_reading?.Invoke() ?? 0); }
    }

    /// <summary>Every archive's state now.</summary>
    public IReadOnlyList<ArchiveProgress> Snapshot()
    {
        lock (_lock)
        {
            var states = (ArchiveProgress[])_states.Clone();
            if (_readingIndex >= 0 && _reading is { } bytes) { states[_readingIndex] = states[_readingIndex] with { ArchiveBytesRead = bytes() }; }
            return states;
        }
    }

    private void Update(int index, Func<ArchiveProgress, ArchiveProgress> change)
    {
        lock (_lock) { _states[index] = change(_states[index]); }
    }
}
