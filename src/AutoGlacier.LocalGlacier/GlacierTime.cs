using System.Globalization;

namespace AutoGlacier.LocalGlacier;

/// <summary>Glacier's timestamp format: ISO 8601 UTC with milliseconds, e.g. 2012-03-20T17:03:43.221Z.</summary>
internal static class GlacierTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
