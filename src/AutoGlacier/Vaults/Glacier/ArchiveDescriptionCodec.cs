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
/// </summary>
internal static class ArchiveDescriptionCodec
{
    /// <summary>Prefix of descriptions written by this version.</summary>
    public const string Prefix = "AG1:";

    /// <summary>Glacier's limit.</summary>
    public const int MaxLength = 1024;

    /// <summary>Encodes a run key and description into a Glacier archive description.</summary>
    public static string Encode(string runKey, string description) => Encode(runKey, description, empty: false);

    /// <summary>Decodes a description written by <see cref="Encode(string, string)"/>; other descriptions come back as (null, the text).</summary>
    public static (string? RunKey, string Description) Decode(string? glacierDescription)
    {
        ArchiveDescriptionPayload? payload = TryDecode(glacierDescription);
        return payload is null ? (null, glacierDescription ?? "") : (payload.RunKey, payload.Description);
    }

    internal static string Encode(string runKey, string description, bool empty)
    {
        ArgumentNullException.ThrowIfNull(runKey);
        ArgumentNullException.ThrowIfNull(description);
        var payload = new ArchiveDescriptionPayload(runKey, description, Empty: empty);
        string encoded = Serialize(payload);
        if (encoded.Length <= MaxLength)
        {
            return encoded;
        }

        // Shorten by whole text elements (never splitting a surrogate pair or combining sequence) until it fits.
        int[] boundaries = StringInfo.ParseCombiningCharacters(description);
        for (int count = boundaries.Length - 1; count >= 0; count--)
        {
            encoded = Serialize(payload with { Description = description[..boundaries[count]], Truncated = true });
            if (encoded.Length <= MaxLength)
            {
                return encoded;
            }
        }

        throw new ArgumentException($"Run key '{runKey}' is too long for a Glacier archive description.", nameof(runKey));
    }

    internal static ArchiveDescriptionPayload? TryDecode(string? glacierDescription)
    {
        if (glacierDescription is null || !glacierDescription.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            byte[] json = Base64UrlDecode(glacierDescription[Prefix.Length..]);
            return JsonSerializer.Deserialize(json, GlacierJsonContext.Default.ArchiveDescriptionPayload);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Serialize(ArchiveDescriptionPayload payload)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(payload, GlacierJsonContext.Default.ArchiveDescriptionPayload);
        return Prefix + Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var builder = new StringBuilder(text.Replace('-', '+').Replace('_', '/'));
        builder.Append('=', (4 - (builder.Length % 4)) % 4);
        return Convert.FromBase64String(builder.ToString());
    }
}
