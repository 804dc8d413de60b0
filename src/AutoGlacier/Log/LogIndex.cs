namespace AutoGlacier.Log;

/// <summary>The runs of a log file in file order, found by <see cref="LogScanner"/>.</summary>
internal sealed class LogIndex
{
    private readonly Dictionary<string, RunEntry> _byKey = new(StringComparer.Ordinal);

    /// <summary>An index of an empty (or not yet existing) log.</summary>
    public static LogIndex Empty => new();

    /// <summary>Runs in file order.</summary>
    public List<RunEntry> Runs { get; } = [];

    /// <summary>Adds a run; a duplicated key (hand-edited log) keeps both in file order; lookups and rewrites use the first.</summary>
    public void Add(RunEntry entry)
    {
        Runs.Add(entry);
        _byKey.TryAdd(entry.Key, entry);
    }

    /// <summary>True when a run with this key exists.</summary>
    public bool Contains(string key) => _byKey.ContainsKey(key);

    /// <summary>The run with this key, or null.</summary>
    public RunEntry? Find(string key) => _byKey.GetValueOrDefault(key);
}
