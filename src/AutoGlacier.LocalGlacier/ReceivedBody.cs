using System.Buffers;
using System.Security.Cryptography;
using AutoGlacier.Hashing;
using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>A request body streamed to a temp file, with its size, SHA-256 and tree hash computed on the way.</summary>
internal sealed class ReceivedBody : IDisposable
{
    private ReceivedBody(string path, long size, string sha256, string treeHash)
    {
        Path = path;
        Size = size;
        Sha256 = sha256;
        TreeHash = treeHash;
    }

    public string Path { get; }

    public long Size { get; }

    public string Sha256 { get; }

    public string TreeHash { get; }

    /// <summary>
    /// Streams the body into a new file in <paramref name="directory"/>. With <paramref name="dropConnection"/> it
    /// reads about half of the body, then aborts the connection (an injected fault) and throws.
    /// </summary>
    public static async Task<ReceivedBody> ReceiveAsync(HttpContext context, string directory, bool dropConnection)
    {
        string path = System.IO.Path.Combine(directory, "incoming-" + Guid.NewGuid().ToString("N") + ".tmp");
        long dropAt = dropConnection ? Math.Max(1, (context.Request.ContentLength ?? 2) / 2) : long.MaxValue;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var tree = new TreeHash();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using (FileStream file = File.Create(path))
            {
                int read;
                while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    tree.Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    if (tree.Length >= dropAt)
                    {
                        context.Abort();
                        throw new OperationCanceledException("Injected fault: connection dropped mid-body.");
                    }
                }
            }

            return new ReceivedBody(path, tree.Length, Convert.ToHexStringLower(sha.GetHashAndReset()), Convert.ToHexStringLower(tree.Finish()));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Checks the body against the x-amz-content-sha256 and x-amz-sha256-tree-hash headers the client sent.</summary>
    public void CheckAgainst(HttpRequest request)
    {
        string contentSha = request.Headers["x-amz-content-sha256"].ToString();
        if (!string.Equals(contentSha, Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw GlacierException.InvalidParameter($"Checksum mismatch: x-amz-content-sha256 is '{contentSha}' but the body's SHA-256 is {Sha256}.");
        }

        string treeHash = request.Headers["x-amz-sha256-tree-hash"].ToString();
        if (string.IsNullOrEmpty(treeHash))
        {
            throw GlacierException.MissingParameter("Required parameter missing: x-amz-sha256-tree-hash.");
        }

        if (!string.Equals(treeHash, TreeHash, StringComparison.OrdinalIgnoreCase))
        {
            throw GlacierException.InvalidParameter($"Checksum mismatch: expected tree hash {treeHash}, computed {TreeHash}.");
        }
    }

    /// <summary>Deletes the temp file unless it was moved away.</summary>
    public void Dispose() => File.Delete(Path);
}
