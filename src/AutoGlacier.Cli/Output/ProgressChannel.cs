using System.Diagnostics;

namespace AutoGlacier.Cli.Output;

/// <summary>
/// Receives a library's progress reports (from any thread) and shows them as the mode says: live lines, a plain
/// line or a JSON line at most every interval. The first throttled line comes one interval after the start, so a
/// short run stays silent; the final report (<paramref name="isFinal"/>) is always written.
/// </summary>
internal sealed class ProgressChannel<T>(StatusArea area, ProgressMode mode, TimeSpan interval,
    Func<T, IReadOnlyList<string>> describe, Func<T, string> json, Func<T, bool> isFinal) : IProgress<T>
{
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        switch (mode)
        {
            case ProgressMode.Live:
                area.Show(describe(value));
                return;
            case ProgressMode.Lines or ProgressMode.JsonLines:
                lock (_lock)
                {
                    if (_sinceLast.Elapsed < interval && !isFinal(value)) { return; }
                    _sinceLast.Restart();
                }

                area.WriteLine(mode == ProgressMode.JsonLines ? json(value) : string.Join(";", describe(value)));
                return;
        }
    }
}
