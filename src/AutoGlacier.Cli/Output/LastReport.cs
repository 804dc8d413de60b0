namespace AutoGlacier.Cli.Output;

/// <summary>
/// Passes progress reports on and keeps the latest, so the result line can say how far a run got (e.g. "after reading
/// 3 of 10 files") even when no report was shown (--quiet).
/// </summary>
internal sealed class LastReport<T>(IProgress<T> inner) : IProgress<T> where T : class
{
    private T? _last;

    /// <summary>The latest report, or null before the first.</summary>
    public T? Last => Volatile.Read(ref _last);

    public void Report(T value)
    {
        Volatile.Write(ref _last, value);
        inner.Report(value);
    }
}
