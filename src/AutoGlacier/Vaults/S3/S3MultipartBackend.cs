using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using AutoGlacier.Hashing;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Vaults.S3;

/// <summary>
/// S3's multipart operations for the shared upload engines: PutObject for one-part archives (with the archive's
/// SHA-256 and tree hash as metadata), parts sent with their SHA-256 so S3 verifies each, ListParts by part-number
/// marker, and completion with every part's ETag and checksum.
/// </summary>
/// <remarks>
/// Each body is a read-only <see cref="MemoryStream"/> over a buffer nobody writes until the part finished, so when the
/// SDK retries (SlowDown, 503, 5xx, a dropped connection: its standard retry mode with backoff) it rewinds and re-sends
/// the very same bytes. Chunked (aws-chunked) encoding is switched off: S3-compatible servers such as s3rver store
/// that framing as object data.
/// </remarks>
internal sealed class S3MultipartBackend(IAmazonS3 s3, S3VaultOptions options) : IMultipartBackend
{
    public long PartSize => options.PartSize;

    public int Concurrency => options.UploadConcurrency;

    public string NewTarget(ArchiveUploadInfo info) => S3ObjectKeys.New(options.Prefix, info);

    public void CheckLimits(int index, long endOffset)
    {
        if (index >= options.MaxParts || endOffset > S3Limits.MaxObjectSize)
        {
            throw S3Limits.TooLarge(options.PartSize, endOffset);
        }
    }

    public Task<StoredArchive> PutWholeAsync(string target, ArchiveUploadInfo info, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Translated($"storing {Uri(target)}", async () =>
        {
            byte[] sha256 = SHA256.HashData(data.Span);
            var request = new PutObjectRequest
            {
                BucketName = options.Bucket,
                Key = target,
                InputStream = ReadOnlyView(data),
                StorageClass = S3StorageClass.FindValue(options.StorageClassFor(info.Kind)),
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                ChecksumSHA256 = Convert.ToBase64String(sha256),
                UseChunkEncoding = false,
                ContentType = "application/octet-stream",
            };
            S3ArchiveMetadata.Describe(request.Metadata, info);
            S3ArchiveMetadata.AddHashes(request.Metadata, Convert.ToHexStringLower(sha256), TreeHashHex(data.Span));
            await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new StoredArchive(target, data.Length, Uri(target));
        });

    public Task<MultipartTicket> InitiateAsync(string target, ArchiveUploadInfo info, CancellationToken cancellationToken) =>
        Translated($"starting the upload of {Uri(target)}", async () =>
        {
            var request = new InitiateMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = target,
                StorageClass = S3StorageClass.FindValue(options.StorageClassFor(info.Kind)),
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                ContentType = "application/octet-stream",
            };
            S3ArchiveMetadata.Describe(request.Metadata, info);
            InitiateMultipartUploadResponse response = await s3.InitiateMultipartUploadAsync(request, cancellationToken).ConfigureAwait(false);
            return new MultipartTicket(response.UploadId, target, options.PartSize);
        });

    public Task<UploadedPart> UploadPartAsync(MultipartTicket ticket, int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Translated($"uploading part {index + 1} of {Uri(ticket.Target)} (upload {ticket.UploadId})", async () =>
        {
            string checksum = Sha256Base64(data.Span);
            UploadPartResponse response = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = options.Bucket,
                Key = ticket.Target,
                UploadId = ticket.UploadId,
                PartNumber = index + 1,
                InputStream = ReadOnlyView(data),
                PartSize = data.Length,
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                ChecksumSHA256 = checksum,
                UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
            return new UploadedPart(index, data.Length, checksum, response.ETag);
        });

    public async IAsyncEnumerable<UploadedPart> ListPartsAsync(MultipartTicket ticket, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            ListPartsResponse? page = await ListPageAsync(ticket, marker, cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                yield break;
            }

            foreach (PartDetail part in page.Parts ?? [])
            {
                yield return new UploadedPart((part.PartNumber ?? 0) - 1, part.Size ?? -1, part.ChecksumSHA256, part.ETag);
            }

            marker = page.IsTruncated == true ? page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        while (marker is not null);
    }

    /// <summary>
    /// Compares S3's SHA-256 of the part when it reports one, else the ETag, which is the MD5 of the part's bytes for
    /// unencrypted and SSE-S3 objects; anything else counts as "not held" and the part is sent again.
    /// </summary>
    public bool Holds(UploadedPart listed, ReadOnlySpan<byte> data)
    {
        if (listed.Checksum is { Length: > 0 } checksum)
        {
            return checksum == Sha256Base64(data);
        }

        // MD5 here is S3's ETag scheme, used only to recognise bytes already sent; integrity rests on SHA-256 (and on the
        // archive's SHA-256, checked over the whole spool before completing).
        string etag = listed.ETag?.Trim('"') ?? "";
#pragma warning disable CA5351
        return etag.Length == 32 && string.Equals(etag, Convert.ToHexStringLower(MD5.HashData(data)), StringComparison.OrdinalIgnoreCase);
#pragma warning restore CA5351
    }

    public Task<StoredArchive> CompleteAsync(MultipartTicket ticket, IReadOnlyList<UploadedPart> parts, long size, CancellationToken cancellationToken) =>
        Translated($"completing {Uri(ticket.Target)} (upload {ticket.UploadId})", async () =>
        {
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = ticket.Target,
                UploadId = ticket.UploadId,
                PartETags = parts.Select(p => new PartETag { PartNumber = p.Index + 1, ETag = p.ETag, ChecksumSHA256 = p.Checksum }).ToList(),
            }, cancellationToken).ConfigureAwait(false);
            return new StoredArchive(ticket.Target, size, Uri(ticket.Target));
        });

    public async Task<StoredArchive?> FindStoredAsync(string target, ArchiveUploadInfo info, long size, CancellationToken cancellationToken)
    {
        try
        {
            GetObjectMetadataResponse head = await s3.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = options.Bucket, Key = target }, cancellationToken).ConfigureAwait(false);
            bool ours = S3ArchiveMetadata.RunKey(head.Metadata) == info.RunKey && head.ContentLength == size;
            return ours ? new StoredArchive(target, size, Uri(target)) : null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or IOException or HttpRequestException)
        {
            throw S3Errors.Translate(ex, $"checking whether {Uri(target)} was stored");
        }
    }

    public Task AbortAsync(MultipartTicket ticket, CancellationToken cancellationToken) =>
        Translated($"aborting upload {ticket.UploadId} of {Uri(ticket.Target)}", () =>
            s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = ticket.Target, UploadId = ticket.UploadId },
                cancellationToken));

    /// <summary>One ListParts page; null when the server does not implement ListParts (s3rver), so every part is sent again.</summary>
    private async Task<ListPartsResponse?> ListPageAsync(MultipartTicket ticket, string? marker, CancellationToken cancellationToken)
    {
        try
        {
            return await s3.ListPartsAsync(new ListPartsRequest
            {
                BucketName = options.Bucket,
                Key = ticket.Target,
                UploadId = ticket.UploadId,
                PartNumberMarker = marker,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchUpload" || (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode is null))
        {
            throw new UploadGoneException($"S3 no longer has upload {ticket.UploadId} of {Uri(ticket.Target)} (completed, aborted, or removed by a lifecycle rule)", ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            return null;
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or IOException or HttpRequestException)
        {
            throw S3Errors.Translate(ex, $"listing the parts of {Uri(ticket.Target)} (upload {ticket.UploadId})");
        }
    }

    private static async Task<T> Translated<T>(string doing, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or IOException or HttpRequestException)
        {
            throw S3Errors.Translate(ex, doing);
        }
    }

    private string Uri(string key) => $"s3://{options.Bucket}/{key}";

    private static string Sha256Base64(ReadOnlySpan<byte> data) => Convert.ToBase64String(SHA256.HashData(data));

    private static string TreeHashHex(ReadOnlySpan<byte> data)
    {
        using var tree = new TreeHash();
        tree.Append(data);
        return Convert.ToHexStringLower(tree.Finish());
    }

    /// <summary>A seekable view of the buffer (no copy), so an SDK retry re-sends the same bytes.</summary>
    private static MemoryStream ReadOnlyView(ReadOnlyMemory<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}
