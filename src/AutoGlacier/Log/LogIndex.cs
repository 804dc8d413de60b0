namespace AutoGlacier.Log;

/// <summary>The runs of a log file in file order, found by <see cref="LogScanner"/>: where each run and its fields sit.</summary>
internal sealed class LogIndex
{
    private readonly Dictionary<string, RunEntry> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<decimal> _numericKeys = [];

    /// <summary>An index of an empty (or not yet existing) log.</summary>
    public static LogIndex Empty => new();

    /// <summary>Runs in file order.</summary>
    public List<RunEntry> Runs { get; } = [];

    /// <summary>Adds a run; a duplicated key (hand-edited log) keeps both in file order; lookups and rewrites use the first.</summary>
    public void Add(RunEntry entry)
    {
        Runs.Add(entry);
        _byKey.TryAdd(entry.Key, entry);
        if (RunKeys.TryParse(entry.Key, out decimal seconds))
        {
            _numericKeys.Add(seconds);
        }
    }

    /// <summary>
    /// True when a run has this key, or the same time written differently (an older tool's "1764232671.5" is
    /// taken by a new "1764232671.500000"), so a new run never shadows an old one.
    /// </summary>
    public bool Contains(string key) =>
        _byKey.ContainsKey(key) || (RunKeys.TryParse(key, out decimal seconds) && _numericKeys.Contains(seconds));

    /// <summary>The run with this key, or null.</summary>
    public RunEntry? Find(string key) => _byKey.GetValueOrDefault(key);
}

/// <summary>
/// Where one run sits in the log file: the byte range of its value plus, for object values, the ranges of its
/// fields (so the record can be read without its possibly huge file list) and of its "files" array.
/// </summary>
internal sealed class RunEntry(string key)
{
    /// <summary>The run key as stored (unescaped).</summary>
    public string Key { get; } = key;

    /// <summary>The whole value, copied verbatim when another run is rewritten.</summary>
    public ByteRange Value { get; set; }

    /// <summary>True when the value is a JSON object (anything else is not an AutoGlacier run).</summary>
    public bool IsObject { get; set; }

    /// <summary>Each <c>"name": value</c> member except "files".</summary>
    public List<ByteRange> Fields { get; } = [];

    /// <summary>The "files" value, when present.</summary>
    public ByteRange? Files { get; set; }
}

/// <summary>A half-open byte range [Start, End) in a log file.</summary>
internal readonly record struct ByteRange(long Start, long End)
{
    /// <summary>Number of bytes in the range.</summary>
    public long Length => End - Start;
}
