using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace AutoGlacier.LocalGlacier;

/// <summary>Glacier's multipart rules: power-of-two MiB part sizes, aligned Content-Range, at most 10,000 parts.</summary>
internal static partial class MultipartRules
{
    public const long MiB = 1 << 20;
    public const int MaxParts = 10_000;
    private const long MaxPartSize = 4096 * MiB;

    public static long ParsePartSize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw GlacierException.MissingParameter("Required parameter missing: x-amz-part-size.");
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            || size < MiB || size > MaxPartSize || size % MiB != 0 || !BitOperations.IsPow2(size / MiB))
        {
            throw GlacierException.InvalidParameter($"Invalid part size: {text}. Part size must be a power of two megabytes (1 MiB times 2^n) between 1 MiB and 4 GiB.");
        }

        return size;
    }

    /// <summary>Parses <c>bytes A-B/*</c> and checks it starts on a part boundary, fits one part and stays within 10,000 parts.</summary>
    public static (long Start, long End) ParseRange(string? text, long partSize)
    {
        Match match = ContentRangePattern().Match(text ?? "");
        if (!match.Success)
        {
            throw GlacierException.InvalidParameter($"Invalid Content-Range: '{text}'. Expected 'bytes A-B/*'.");
        }

        long start = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        long end = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (end < start || start % partSize != 0 || end - start + 1 > partSize)
        {
            throw GlacierException.InvalidParameter($"Content-Range: {text} is incompatible with uploadId part size {partSize}: a part starts at a multiple of the part size and is at most one part long.");
        }

        if (start / partSize >= MaxParts)
        {
            throw GlacierException.InvalidParameter($"Content-Range: {text} would be part {(start / partSize) + 1}; an upload has at most {MaxParts} parts.");
        }

        return (start, end);
    }

    [GeneratedRegex(@"^bytes ([0-9]{1,19})-([0-9]{1,19})/\*$", RegexOptions.CultureInvariant)]
    private static partial Regex ContentRangePattern();
}
