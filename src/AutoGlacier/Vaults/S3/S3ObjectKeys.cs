using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AutoGlacier.Vaults.S3;

/// <summary>
/// Object keys: <c>prefix + runKey + "-" + 8 random hex digits [+ "-" + slug of the description]</c>. The archive id
/// is the whole key, so an id from the log still works after S3_PREFIX changes.
/// </summary>
/// <remarks>
/// A snapshot catalog's key is <c>prefix + "catalogs/" + runKey + "-" + 8 random hex digits + ".catalog"</c>: a
/// person browsing the bucket sees at once which objects are catalogs, and the key names no file (nor does the
/// description's slug appear: catalogs carry none).
/// The random part keeps two uploads with the same run key and description (a retried run, a test) from
/// overwriting each other: S3 PutObject silently replaces an existing key, and the vault contract says ids are never
/// reused. The slug only helps a human browsing the bucket; nothing parses it.
/// </remarks>
internal static class S3ObjectKeys
{
    private const int MaxSlugLength = 40;

    public static string New(string prefix, string runKey, string description)
    {
        string random = Random();
        string slug = Slug(description);
        return slug.Length == 0 ? $"{prefix}{runKey}-{random}" : $"{prefix}{runKey}-{random}-{slug}";
    }

    /// <summary>The "folder" under S3_PREFIX that holds snapshot catalogs.</summary>
    public const string CatalogFolder = "catalogs/";

    /// <summary>The file-name-like ending of catalog keys.</summary>
    public const string CatalogSuffix = ".catalog";

    /// <summary>A fresh key for an object of <paramref name="info"/>'s kind.</summary>
    public static string New(string prefix, ArchiveUploadInfo info) => info.Kind == VaultObjectKind.Catalog
        ? $"{prefix}{CatalogFolder}{info.RunKey}-{Random()}{CatalogSuffix}"
        : New(prefix, info.RunKey, info.Description);

    private static string Random() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Lowercase ASCII letters and digits of the description (accents dropped), other runs as '-'.</summary>
    public static string Slug(string description)
    {
        var slug = new StringBuilder(MaxSlugLength);
        bool pendingDash = false;
        foreach (char c in description.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // "ü" decomposes to "u" + a combining mark: keep the "u".
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingDash && slug.Length > 0) { slug.Append('-'); }
                pendingDash = false;
                slug.Append(char.ToLowerInvariant(c));
                if (slug.Length >= MaxSlugLength) { break; }
            }
            else
            {
                pendingDash = true;
            }
        }

        return slug.ToString();
    }
}
