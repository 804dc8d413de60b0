using System.Globalization;

namespace AutoGlacier.Log;

/// <summary>
/// Run keys: unix seconds with a 6-digit fraction ("1764232671.482113"), like the Python seed's time.time() keys,
/// precise enough that runs launched in the same second differ.
/// </summary>
internal static class RunKeys
{
    /// <summary>The key for <paramref name="launch"/>, bumped by 1 µs until no run in <paramref name="index"/> has it.</summary>
    public static string NewKey(DateTimeOffset launch, LogIndex index) => NewKey(launch, index.Contains);

    /// <summary>The key for <paramref name="launch"/>, bumped by 1 µs while <paramref name="isTaken"/> says another run has it.</summary>
    public static string NewKey(DateTimeOffset launch, Func<string, bool> isTaken)
    {
        long micros = (launch.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        string key = Format(micros);
        while (isTaken(key))
        {
            key = Format(++micros);
        }

        return key;
    }

    /// <summary>Orders keys numerically (keys that are not numbers, e.g. hand-made, sort last by text).</summary>
    public static int Compare(string left, string right)
    {
        bool leftIsNumber = TryParse(left, out decimal l);
        bool rightIsNumber = TryParse(right, out decimal r);
        return (leftIsNumber, rightIsNumber) switch
        {
            (true, true) => l.CompareTo(r) is var c && c != 0 ? c : string.CompareOrdinal(left, right),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(left, right),
        };
    }

    /// <summary>Reads a key as unix seconds; false for keys that are not plain decimal numbers.</summary>
    public static bool TryParse(string key, out decimal seconds) =>
        decimal.TryParse(key, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds);

    private static string Format(long micros) =>
        string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:D6}");
}
