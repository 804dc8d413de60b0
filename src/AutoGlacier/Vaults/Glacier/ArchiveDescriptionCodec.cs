using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// Glacier keeps only a description of at most 1,024 printable ASCII characters per archive. AutoGlacier stores
/// <c>AG1:</c> followed by the unpadded base64url of a small UTF-8 JSON object
/// <c>{"k": run key, "d": description, "t": true if shortened, "e": true if empty}</c>, so any Unicode description
/// survives and inventories can be matched back to runs. Descriptions too long to fit are shortened (whole
/// characters) and flagged; the log keeps them whole.
/// A run's snapshot catalog is a separate archive whose description starts with <c>AG1-catalog:</c> instead, with
/// the same payload: the inventory says which archives are catalogs without any retrieval, and an AutoGlacier
/// from before catalogs, which knows only <c>AG1:</c>, sees a foreign archive rather than a second archive of the run.
/// </summary>
internal static class ArchiveDescriptionCodec
{
    /// <summary>Prefix of descriptions written by this version.</summary>
    public const string Prefix = "AG1:";

    /// <summary>Prefix of snapshot catalogs' descriptions.</summary>
    public const string CatalogPrefix = "AG1-catalog:";

    /// <summary>Glacier's limit.</summary>
    public const int MaxLength = 1024;

    /// <summary>Encodes a run key and description into a Glacier archive description.</summary>
    public static string Encode(string runKey, string description) => Encode(runKey, description, empty: false);

    /// <summary>Encodes the description of an object of <paramref name="kind"/> (an archive, or a snapshot catalog).</summary>
    public static string Encode(string runKey, string description, bool empty, VaultObjectKind kind) =>
        Encode(runKey, description, empty, kind == VaultObjectKind.Catalog ? CatalogPrefix : Prefix);

    /// <summary>Decodes a description written by <see cref="Encode(string, string)"/>; other descriptions come back as (null, the text).</summary>
    public static (string? RunKey, string Description) Decode(string? glacierDescription)
    {
        ArchiveDescriptionPayload? payload = TryDecode(glacierDescription);
        return payload is null ? (null, glacierDescription ?? "") : (payload.RunKey, payload.Description);
    }

    internal static string Encode(string runKey, string description, bool empty) => Encode(runKey, description, empty, Prefix);

    private static string Encode(string runKey, string description, bool empty, string prefix)
    {
        ArgumentNullException.ThrowIfNull(runKey);
        ArgumentNullException.ThrowIfNull(description);
        var payload = new ArchiveDescriptionPayload(runKey, description, Empty: empty);
        string encoded = Serialize(payload, prefix);
        if (encoded.Length <= MaxLength)
        {
            return encoded;
        }

        // Shorten by whole text elements (never splitting a surrogate pair or combining sequence) until it fits.
        int[] boundaries = StringInfo.ParseCombiningCharacters(description);
        for (int count = boundaries.Length - 1; count >= 0; count--)
        {
            encoded = Serialize(payload with { Description = description[..boundaries[count]], Truncated = true }, prefix);
            if (encoded.Length <= MaxLength)
            {
                return encoded;
            }
        }

        throw new ArgumentException($"Run key '{runKey}' is too long for a Glacier archive description.", nameof(runKey));
    }

    internal static ArchiveDescriptionPayload? TryDecode(string? glacierDescription)
    {
        (string? prefix, VaultObjectKind kind) = glacierDescription switch
        {
            null => (null, VaultObjectKind.Archive),
            _ when glacierDescription.StartsWith(Prefix, StringComparison.Ordinal) => (Prefix, VaultObjectKind.Archive),
            _ when glacierDescription.StartsWith(CatalogPrefix, StringComparison.Ordinal) => (CatalogPrefix, VaultObjectKind.Catalog),
            _ => (null, VaultObjectKind.Archive),
        };
        if (prefix is null)
        {
            return null;
        }

        try
        {
            byte[] json = Base64UrlDecode(glacierDescription![prefix.Length..]);
            return JsonSerializer.Deserialize(json, GlacierJsonContext.Default.ArchiveDescriptionPayload) is { } payload ? payload with { Kind = kind } : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Serialize(ArchiveDescriptionPayload payload, string prefix)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(payload, GlacierJsonContext.Default.ArchiveDescriptionPayload);
        return prefix + Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var builder = new StringBuilder(text.Replace('-', '+').Replace('_', '/'));
        builder.Append('=', (4 - (builder.Length % 4)) % 4);
        return Convert.FromBase64String(builder.ToString());
    }
}
