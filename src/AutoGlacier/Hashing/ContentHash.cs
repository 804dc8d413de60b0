using System.Buffers;
using System.Security.Cryptography;
using AutoGlacier.Gathering;

namespace AutoGlacier.Hashing;

/// <summary>The SHA-256 of a file's content, as the log and catalogs write it (lowercase hex).</summary>
internal static class ContentHash
{
    private const int ChunkSize = 1 << 16;

    /// <summary>
    /// Reads the regular file at <paramref name="path"/> once, as the tar writer opens it (no link followed, no wait
    /// on a FIFO); null when it is not a regular file now or cannot be read (the tar writer then records why).
    /// </summary>
    public static Task<string?> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        // Synchronous on purpose: an async read of a local file is a thread-pool hop per read (see StoredContentStream).
        var opening = SourceFile.Open(path);
        if (opening.File is not { } file) { return Task.FromResult<string?>(null); }
        using (file) { return Task.FromResult(Hash(file, cancellationToken)); }
    }

    private static string? Hash(SourceFile file, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha256.AppendData(buffer, 0, read);
            }
            return Convert.ToHexStringLower(sha256.GetHashAndReset());
        }
        catch (IOException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
