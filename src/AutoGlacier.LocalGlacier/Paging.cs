using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>Glacier's list paging: an optional <c>limit</c> and an opaque <c>marker</c> that resumes after an item.</summary>
internal static class Paging
{
    public static int Limit(HttpRequest request, int max)
    {
        string? text = request.Query["limit"].FirstOrDefault();
        if (text is null)
        {
            return max;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) && limit >= 1 && limit <= max
            ? limit
            : throw GlacierException.InvalidParameter($"Invalid limit '{text}': allowed 1-{max}.");
    }

    /// <summary>Items after <paramref name="marker"/> (by key), at most <paramref name="limit"/>, and the next marker or null.</summary>
    public static (T[] Page, string? Next) Page<T>(IReadOnlyList<T> ordered, Func<T, string> key, string? marker, int limit)
    {
        int start = 0;
        if (marker is not null)
        {
            int index = ordered.Select(key).ToList().IndexOf(marker);
            start = index >= 0 ? index : throw GlacierException.InvalidParameter($"Invalid marker '{marker}'.");
        }

        T[] page = ordered.Skip(start).Take(limit).ToArray();
        string? next = start + limit < ordered.Count ? key(ordered[start + limit]) : null;
        return (page, next);
    }
}
