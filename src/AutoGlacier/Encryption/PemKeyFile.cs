using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>Reads a PEM key file and tells which kind of key it holds, by its first PEM label.</summary>
internal static class PemKeyFile
{
    public const string PublicKeyLabel = "PUBLIC KEY";
    public const string RsaPublicKeyLabel = "RSA PUBLIC KEY";
    public const string PrivateKeyLabel = "PRIVATE KEY";
    public const string EncryptedPrivateKeyLabel = "ENCRYPTED PRIVATE KEY";
    public const string RsaPrivateKeyLabel = "RSA PRIVATE KEY";

    /// <summary>Returns the file text, or throws naming the path and the setting that points to it.</summary>
    public static string ReadText(string path, string whatAndSetting)
    {
        if (!File.Exists(path))
        {
            throw new AutoGlacierException($"The {whatAndSetting} file '{path}' does not exist.");
        }
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AutoGlacierException($"Cannot read the {whatAndSetting} file '{path}': {e.Message}", e);
        }
    }

    /// <summary>The label of the first PEM block (e.g. "PUBLIC KEY"), or null when the text holds no PEM.</summary>
    public static string? FirstLabel(string pemText)
    {
        return PemEncoding.TryFind(pemText, out var fields) ? pemText[fields.Label].ToString() : null;
    }

    public static bool IsPrivateLabel(string? label) =>
        label is PrivateKeyLabel or EncryptedPrivateKeyLabel or RsaPrivateKeyLabel;
}
