namespace AutoGlacier.Gathering;

/// <summary>
/// A first walk of the run's <see cref="GatherPlan"/>, before the archive is begun: it counts what the run will visit
/// (the totals progress reports are measured against) and, in the same pass, gives the sorted paths to the one
/// reader that needs them all before the tar loop starts (metadata mode's move detection). Nothing is kept but the
/// counts; the tar loop walks the tree again.
/// </summary>
/// <remarks><paramref name="onCounted"/> hears the counts after each entry (for progress; it throttles).</remarks>
internal sealed class GatherSurvey(GatherPlan plan, CancellationToken cancellationToken, Action<int, long>? onCounted = null)
{
    private bool _started;

    /// <summary>Entries the walk visited.</summary>
    public int Entries { get; private set; }

    /// <summary>Bytes of the regular files among them, as lstat gave them.</summary>
    public long Bytes { get; private set; }

    /// <summary>The walk's paths, in ordinal order, counted as they pass. Enumerate it once, to the end, or not at all.</summary>
    public IEnumerable<string> Paths()
    {
        if (_started) { throw new InvalidOperationException("The survey's walk has been read already."); }
        _started = true;
        foreach (var entry in plan.Walk(cancellationToken: cancellationToken))
        {
            Entries++;
            if (entry.Info.Kind == FileKind.RegularFile) { Bytes += entry.Info.Size; }
            onCounted?.Invoke(Entries, Bytes);
            yield return entry.FullPath;
        }
    }

    /// <summary>Completes the counts: walks the tree now unless <see cref="Paths"/> was already read.</summary>
    public void Finish()
    {
        if (_started) { return; }
        foreach (var _ in Paths()) { }
    }
}
