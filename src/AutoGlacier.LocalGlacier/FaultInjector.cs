using System.Collections.Concurrent;

namespace AutoGlacier.LocalGlacier;

/// <summary>Counts requests per operation and picks the configured fault, if any, for each new one.</summary>
internal sealed class FaultInjector
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<FaultRule> _rules;

    public FaultInjector(IEnumerable<FaultRule> rules) => _rules = [.. rules];

    public void Add(FaultRule rule)
    {
        lock (_rules)
        {
            _rules.Add(rule);
        }
    }

    public void Clear()
    {
        lock (_rules)
        {
            _rules.Clear();
        }
    }

    public int Count(string operation) => _counts.TryGetValue(operation, out int count) ? count : 0;

    /// <summary>Counts one more request of <paramref name="operation"/> and returns the fault it should suffer, or null.</summary>
    public FaultRule? Next(string operation)
    {
        int n = _counts.AddOrUpdate(operation, 1, (_, count) => count + 1);
        int all = _counts.AddOrUpdate("*", 1, (_, count) => count + 1);
        lock (_rules)
        {
            return _rules.FirstOrDefault(rule => rule.Operation == operation ? Hits(rule, n) : rule.Operation == "*" && Hits(rule, all));
        }
    }

    private static bool Hits(FaultRule rule, int n) => n >= rule.OnRequest && n < rule.OnRequest + rule.Times;
}
