using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using AutoGlacier.Hashing;

namespace AutoGlacier.Vaults.S3;

/// <summary>
/// One archive going into S3: one PutObject when it fits in one part, a multipart upload otherwise. The object
/// exists only after <see cref="CompleteAsync"/>; disposing earlier aborts the multipart upload.
/// </summary>
internal sealed class S3ArchiveUpload : IArchiveUpload
{
    private readonly IAmazonS3 _s3;
    private readonly S3VaultOptions _options;
    private readonly string _key;
    private readonly ArchiveUploadInfo _info;
    private readonly S3UploadStream _sink;
    private readonly ArchiveHashingStream _content;
    private bool _completeStarted;

    public S3ArchiveUpload(IAmazonS3 s3, S3VaultOptions options, string key, ArchiveUploadInfo info)
    {
        _s3 = s3;
        _options = options;
        _key = key;
        _info = info;
        var buffers = new S3PartBuffers(options.PartSize);
        _sink = new S3UploadStream(buffers, () => new S3MultipartUpload(s3, options, key, info, buffers));

        // Hashed here too (the pipeline hashes for the log): a one-part object gets its hashes as metadata.
        _content = new ArchiveHashingStream(_sink, leaveOpen: true);
    }

    public Stream Content => _content;

    public async Task<StoredArchive> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completeStarted)
        {
            throw new InvalidOperationException($"Upload of {_key} was already completed or aborted.");
        }

        _completeStarted = true;
        try
        {
            await _sink.SendLastPartAsync(cancellationToken).ConfigureAwait(false);
            if (_sink.Multipart is { } multipart)
            {
                await multipart.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PutSinglePartAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or IOException or HttpRequestException)
        {
            throw S3Errors.Translate(e, $"storing s3://{_options.Bucket}/{_key}");
        }

        return new StoredArchive(_key, _sink.Length64, $"s3://{_options.Bucket}/{_key}");
    }

    public async ValueTask DisposeAsync()
    {
        _completeStarted = true;
        await _content.DisposeAsync().ConfigureAwait(false);
        await _sink.DisposeAsync().ConfigureAwait(false);
        if (_sink.Multipart is { } multipart)
        {
            await multipart.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task PutSinglePartAsync(CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> data = _sink.Pending;
        var (sha256, treeHash) = _content.GetHashes();
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = _key,
            InputStream = AsReadOnlyStream(data),
            StorageClass = S3StorageClass.FindValue(_options.StorageClass),
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            ChecksumSHA256 = Convert.ToBase64String(SHA256.HashData(data.Span)),
            UseChunkEncoding = false,
            ContentType = "application/octet-stream",
        };
        S3ArchiveMetadata.Describe(request.Metadata, _info);
        S3ArchiveMetadata.AddHashes(request.Metadata, sha256, treeHash);
        await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A seekable view of the buffer (no copy), so an SDK retry re-sends the same bytes.</summary>
    private static MemoryStream AsReadOnlyStream(ReadOnlyMemory<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}
