using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

namespace AutoGlacier.Vaults.Local;

/// <summary>Creates and checks local archive ids.</summary>
/// <remarks>
/// An id is <c>yyyyMMddTHHmmssfffZ-</c> plus 16 random hex digits: sortable by creation time, and with 64 random
/// bits per millisecond a deleted id is never handed out again. Checking is deliberately stricter than the file
/// system: only ASCII letters, digits, '-' and '_' pass, so separators, "..", drive letters and NUL never reach a
/// path, whatever a log says.
/// </remarks>
internal static class LocalArchiveId
{
    /// <summary>Longest id accepted (generated ids are 36 characters).</summary>
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>A fresh id for an archive created at <paramref name="now"/>.</summary>
    public static string New(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>True when <paramref name="id"/> can safely be a file name in the vault.</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws unless <paramref name="id"/> is a well-formed id.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> could name something outside the vault.</exception>
    public static void Validate(string id, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(id, parameterName);
        if (!IsValid(id))
        {
            throw new ArgumentException(
                $"'{Printable(id)}' is not a local archive id (expected letters, digits, '-' or '_', at most {MaxLength} characters). The log or command line naming it may be corrupt.",
                parameterName);
        }
    }

    /// <summary>Keeps a hostile id from smuggling control characters into messages.</summary>
    private static string Printable(string id)
    {
        string shown = id.Length > MaxLength ? id[..MaxLength] + "…" : id;
        return string.Create(shown.Length, shown, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
