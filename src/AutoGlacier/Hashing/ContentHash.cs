using System.Security.Cryptography;

namespace AutoGlacier.Hashing;

/// <summary>The SHA-256 of a file's content, as the log and catalogs write it (lowercase hex).</summary>
internal static class ContentHash
{
    /// <summary>Reads <paramref name="path"/> once; null when it cannot be read now (the tar writer then records why).</summary>
    public static async Task<string?> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
