using System.Globalization;

namespace AutoGlacier.Cli.Output;

/// <summary>Human-readable sizes, rates and durations for progress and result lines (invariant culture: logs get grepped).</summary>
internal static class Units
{
    private static readonly string[] Prefixes = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(long bytes)
    {
        double value = bytes;
        int prefix = 0;
        while (Math.Abs(value) >= 1024 && prefix < Prefixes.Length - 1) { value /= 1024; prefix++; }
        return prefix == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Prefixes[prefix]}");
    }

    public static string Rate(double bytesPerSecond) => Bytes((long)bytesPerSecond) + "/s";

    public static string Duration(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:D2}:{span.Seconds:D2}");

    public static string Percent(long part, long whole) =>
        whole <= 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({Math.Min(100, 100.0 * part / whole):0}%)");

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);
}
