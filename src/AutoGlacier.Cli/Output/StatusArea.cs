namespace AutoGlacier.Cli.Output;

/// <summary>
/// The live status lines at the bottom of a terminal, on stderr, redrawn in place with three plain VT100 sequences
/// (cursor up, carriage return, erase to the end of the screen). Log lines are written above them; <see cref="Clear"/>
/// erases them, so the screen ends clean on success, error and Ctrl+C alike. When stderr is not a terminal, nothing
/// is drawn and lines are written as they come.
/// </summary>
internal sealed class StatusArea(TextWriter error, bool live, Func<int> width)
{
    private const string Escape = "\u001b[";
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);
    private readonly Lock _lock = new();
    private IReadOnlyList<string> _lines = [];
    private int _drawn;
    private long _lastDraw = -1_000_000;
    private bool _stopped; // "long ago", without overflowing the subtraction below

    /// <summary>Whether status lines are drawn in place (stderr is a terminal).</summary>
    public bool IsLive => live;

    /// <summary>Replaces the status lines (redrawn at most five times a second; the last state always shows on the next redraw).</summary>
    public void Show(IReadOnlyList<string> lines, bool now = false)
    {
        if (!live) { return; }
        lock (_lock)
        {
            _lines = lines;
            long tick = Environment.TickCount64;
            if (!now && tick - _lastDraw < RedrawInterval.TotalMilliseconds) { return; }
            _lastDraw = tick;
            error.Write(Erase() + Draw());
            error.Flush();
        }
    }

    /// <summary>Writes a line above the status lines (a log message, a plain progress line).</summary>
    public void WriteLine(string line)
    {
        lock (_lock)
        {
            error.Write(Erase() + line + "\n" + Draw());
            error.Flush();
        }
    }

    /// <summary>
    /// Ctrl+C: erases the status lines and draws no more, straight from the signal handler, so the screen is clean
    /// even if the process is ended before the command unwinds.
    /// </summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
        }

        Clear();
    }

    /// <summary>Erases the status lines (they come back with the next <see cref="Show"/>).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            if (_drawn > 0) { error.Write(Erase()); error.Flush(); }
            _lines = [];
        }
    }

    private string Erase()
    {
        if (_drawn == 0) { return ""; }
        string up = $"{Escape}{_drawn}A\r{Escape}J";
        _drawn = 0;
        return up;
    }

    /// <summary>Each line wrapped to the terminal's width (a line the terminal wrapped would break the count of lines to go up).</summary>
    private string Draw()
    {
        if (_lines.Count == 0 || _stopped) { return ""; }
        int columns = Math.Max(20, width() - 1);
        var rows = _lines.SelectMany(l => Wrap(l, columns)).ToList();
        _drawn = rows.Count;
        return string.Concat(rows.Select(row => row + "\n"));
    }

    /// <summary>
    /// Breaks a line wider than <paramref name="columns"/> into indented rows, so nothing is lost: cutting out the
    /// middle hid the percentage and rate on an 80-column terminal. A piece with no space (a long path) is shortened
    /// by <see cref="Fit"/>.
    /// </summary>
    internal static IEnumerable<string> Wrap(string line, int columns)
    {
        string rest = line;
        while (rest.Length > columns && BreakAt(rest, columns) is var (end, next) && end > 2)
        {
            yield return rest[..end];
            rest = "  " + rest[next..];
        }

        yield return Fit(rest, columns);
    }

    /// <summary>
    /// The last break that keeps the row within <paramref name="columns"/>, preferring ", " and "  " (between the
    /// parts of a status line) over a space: its end and where the next row starts.
    /// </summary>
    private static (int End, int Next) BreakAt(string line, int columns)
    {
        int comma = line.LastIndexOf(", ", columns - 1, StringComparison.Ordinal);
        int gap = line.LastIndexOf("  ", columns, StringComparison.Ordinal);
        (int End, int Next) part = comma + 1 >= gap ? (comma + 1, comma + 2) : (gap, gap + 2);
        int space = line.LastIndexOf(' ', columns);
        return part.End > 2 ? part : (space, space + 1);
    }

    /// <summary>Shortens a line to <paramref name="columns"/>, keeping its start and end (a path's file name is at the end).</summary>
    internal static string Fit(string line, int columns)
    {
        if (line.Length <= columns) { return line; }
        int head = (columns - 1) / 2;
        return line[..head] + "…" + line[^(columns - 1 - head)..];
    }
}
