using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace AutoGlacier.Vaults.S3;

/// <summary>
/// One S3 multipart upload: created on the first full part, at most UPLOAD_CONCURRENCY parts in flight, each sent
/// with its SHA-256 so S3 verifies it; completed with every part's ETag and checksum, or aborted.
/// </summary>
/// <remarks>
/// Each part's body is a read-only <see cref="MemoryStream"/> over a buffer nobody writes until the part finished, so
/// when the SDK retries (SlowDown, 503, 5xx, a dropped connection: its standard retry mode with backoff) it rewinds
/// and re-sends the very same bytes. Chunked (aws-chunked) encoding is switched off: S3-compatible servers such as
/// s3rver store that framing as object data.
/// </remarks>
internal sealed class S3MultipartUpload(IAmazonS3 s3, S3VaultOptions options, string key, ArchiveUploadInfo info, S3PartBuffers buffers)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(options.UploadConcurrency, options.UploadConcurrency);
    private readonly List<Task<PartETag>> _parts = [];
    private readonly CancellationTokenSource _abort = new();
    private string? _uploadId;
    private Exception? _failure;
    private bool _completed;
    private bool _disposed;
    private long _bytesSent;

    /// <summary>Hands a full buffer to S3 (waiting for a free slot); the buffer goes back to the pool when done.</summary>
    public async Task SendPartAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        ThrowIfAPartFailed();
        if (_parts.Count == options.MaxParts || _bytesSent + length > S3Limits.MaxObjectSize)
        {
            throw S3Limits.TooLarge(options.PartSize, _bytesSent + length);
        }

        _uploadId ??= await CreateAsync(cancellationToken).ConfigureAwait(false);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        _bytesSent += length;
        _parts.Add(UploadPartAsync(_parts.Count + 1, buffer, length));
    }

    /// <summary>Waits for every part and completes the object. Only after this does the archive exist.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        PartETag[] parts = await Task.WhenAll(_parts).ConfigureAwait(false);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = options.Bucket,
            Key = key,
            UploadId = _uploadId,
            PartETags = [.. parts],
        }, cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    /// <summary>Aborts the multipart upload unless it completed, so S3 keeps (and bills) no orphan parts.</summary>
    /// <remarks>
    /// A failed abort (network gone) is swallowed: the caller is already failing. docs/S3.md recommends a lifecycle rule
    /// (AbortIncompleteMultipartUpload) as the safety net.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _abort.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_parts).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or OperationCanceledException or IOException or HttpRequestException or AutoGlacierException)
        {
            // Parts cut short by the abort; nothing to keep.
        }

        if (!_completed && _uploadId is not null)
        {
            try
            {
                await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = _uploadId })
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonServiceException or IOException or HttpRequestException)
            {
                // See remarks.
            }
        }

        _abort.Dispose();
        _slots.Dispose();
    }

    private async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest
        {
            BucketName = options.Bucket,
            Key = key,
            StorageClass = S3StorageClass.FindValue(options.StorageClass),
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            ContentType = "application/octet-stream",
        };
        S3ArchiveMetadata.Describe(request.Metadata, info);
        var response = await s3.InitiateMultipartUploadAsync(request, cancellationToken).ConfigureAwait(false);
        return response.UploadId;
    }

    private async Task<PartETag> UploadPartAsync(int partNumber, byte[] buffer, int length)
    {
        try
        {
            // Hash off the writer's thread: the writer goes on filling the next buffer meanwhile.
            await Task.Yield();
            string checksum = Convert.ToBase64String(SHA256.HashData(buffer.AsSpan(0, length)));
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            UploadPartResponse response = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = options.Bucket,
                Key = key,
                UploadId = _uploadId,
                PartNumber = partNumber,
                InputStream = body,
                PartSize = length,
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                ChecksumSHA256 = checksum,
                UseChunkEncoding = false,
            }, _abort.Token).ConfigureAwait(false);
            return new PartETag { PartNumber = partNumber, ETag = response.ETag, ChecksumSHA256 = checksum };
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
        finally
        {
            buffers.Return(buffer);
            _slots.Release();
        }
    }

    private void ThrowIfAPartFailed()
    {
        if (_failure is { } failure)
        {
            throw S3Errors.Translate(failure, $"uploading a part of s3://{options.Bucket}/{key}");
        }
    }
}
