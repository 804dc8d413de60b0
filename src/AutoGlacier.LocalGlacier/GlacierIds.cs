using System.Security.Cryptography;

namespace AutoGlacier.LocalGlacier;

/// <summary>Random ids shaped like Glacier's (URL-safe base64 characters; archive ids are 138 long).</summary>
internal static class GlacierIds
{
    public static string New(int length)
    {
        string text = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length)).Replace('+', '-').Replace('/', '_');
        return text[..length];
    }

    /// <summary>True when <paramref name="id"/> could be one of ours (so it is safe to use as a file name).</summary>
    public static bool IsWellFormed(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
