using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using AutoGlacier.Configuration;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Vaults.S3;

/// <summary>
/// Archives as objects in an S3 bucket (or an S3-compatible server), in a storage class such as DEEP_ARCHIVE.
/// One object per archive; the archive id is the object key. See docs/S3.md.
/// </summary>
/// <remarks>
/// GLACIER and DEEP_ARCHIVE objects are read in two steps: <see cref="RequestRetrievalAsync"/> asks S3 to restore a
/// temporary copy (RestoreObject) and reports "pending" until HeadObject says <c>ongoing-request="false"</c>; then
/// <see cref="OpenReadAsync"/> reads it with ranged GETs. Other classes are readable at once.
/// </remarks>
internal sealed class S3Vault : IVault, IMultipartVault, IDisposable, IAsyncDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly S3VaultOptions _options;
    private readonly bool _ownsClient;

    /// <summary>Uses <paramref name="s3"/> (disposed with the vault when <paramref name="ownsClient"/>).</summary>
    public S3Vault(IAmazonS3 s3, S3VaultOptions options, bool ownsClient = true)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(options);
        _s3 = s3;
        _options = options;
        _ownsClient = ownsClient;
    }

    /// <summary>Opens the bucket a configuration with BACKEND "s3" names.</summary>
    public static S3Vault Create(GteuConfig config) => new(S3ClientFactory.Create(config), S3VaultOptions.From(config));

    /// <inheritdoc />
    public string BackendName => "s3";

    /// <inheritdoc />
    /// <remarks>Follows S3_STORAGE_CLASS: its minimum storage days, and whether objects need a restore before a read.</remarks>
    public VaultCapabilities Capabilities => S3StorageClasses.Capabilities(_options.StorageClass);

    /// <inheritdoc />
    /// <remarks><c>s3://bucket/prefix</c>.</remarks>
    public string Location => $"s3://{_options.Bucket}/{_options.Prefix}";

    /// <inheritdoc />
    /// <remarks>
    /// The key is S3_PREFIX + run key + a random suffix + a slug of the description, in S3_STORAGE_CLASS; a snapshot
    /// catalog's is S3_PREFIX + <c>catalogs/</c> + run key + a random suffix + <c>.catalog</c>, in CATALOG_STORAGE_CLASS.
    /// </remarks>
    public Task<IArchiveUpload> BeginUploadAsync(ArchiveUploadInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(MultipartUploads.Begin(Multipart, info));
    }

    /// <inheritdoc />
    IMultipartBackend IMultipartVault.Multipart => Multipart;

    private S3MultipartBackend Multipart => new(_s3, _options);

    /// <inheritdoc />
    /// <exception cref="AutoGlacierException">The tier is unknown, or Expedited for a DEEP_ARCHIVE object.</exception>
    public async Task<RetrievalState> RequestRetrievalAsync(string archiveId, RetrievalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        GetObjectMetadataResponse head = await HeadAsync(archiveId, cancellationToken).ConfigureAwait(false);
        var status = S3RestoreStatus.Of(head);
        if (status.IsReadable || status.InProgress)
        {
            return new RetrievalState(status.IsReadable, request.ExistingToken, status.Describe(Uri(archiveId)));
        }

        // Archived with no restore (never asked, or the restored copy expired): ask for one.
        string tier = S3RestoreStatus.CheckTier(request.Tier ?? _options.RetrievalTier, status.StorageClass, Uri(archiveId));
        int days = request.Days ?? _options.RestoreDays;
        await RestoreAsync(archiveId, tier, days, cancellationToken).ConfigureAwait(false);
        string token = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"s3-restore;tier={tier};days={days};requested={DateTimeOffset.UtcNow:O}");
        return new RetrievalState(false, token,
            $"restore of {Uri(archiveId)} from {status.StorageClass} requested ({tier} tier, {days} days); {S3RestoreStatus.TypicalWait(status.StorageClass, tier)}");
    }

    /// <inheritdoc />
    /// <remarks>A ranged GET from <paramref name="offset"/>, pinned to the object's ETag so a resumed download never mixes two objects.</remarks>
    /// <exception cref="AutoGlacierException">The object is in GLACIER/DEEP_ARCHIVE and not restored (yet).</exception>
    public async Task<Stream> OpenReadAsync(string archiveId, long offset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        GetObjectMetadataResponse head = await HeadAsync(archiveId, cancellationToken).ConfigureAwait(false);
        long size = head.ContentLength;
        if (offset > size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Archive {archiveId} has only {size} bytes.");
        }

        if (offset == size)
        {
            return new MemoryStream([], writable: false); // S3 answers 416 to a range that starts at the end.
        }

        var get = new GetObjectRequest { BucketName = _options.Bucket, Key = archiveId, EtagToMatch = head.ETag, ByteRange = new ByteRange(offset, size - 1) };
        try
        {
            GetObjectResponse response = await _s3.GetObjectAsync(get, cancellationToken).ConfigureAwait(false);
            return new S3ObjectReadStream(response);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsInvalidObjectState(e))
        {
            throw new AutoGlacierException(S3RestoreStatus.Of(head).NotReadableMessage(Uri(archiveId), _options.RetrievalTier), e);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsNotFound(e))
        {
            throw NotFound(archiveId, e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw S3Errors.Translate(e, $"reading {Uri(archiveId)}");
        }
    }

    /// <inheritdoc />
    /// <remarks>ListObjectsV2 under S3_PREFIX (paginated), then HeadObject per object for its metadata.</remarks>
    public async IAsyncEnumerable<VaultArchive> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix };
        do
        {
            ListObjectsV2Response page = await Call(() => _s3.ListObjectsV2Async(request, cancellationToken), $"listing {Location}").ConfigureAwait(false);
            foreach (S3Object item in page.S3Objects ?? [])
            {
                VaultArchive? archive = await DescribeAsync(item, cancellationToken).ConfigureAwait(false);
                if (archive is not null)
                {
                    yield return archive;
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (!string.IsNullOrEmpty(request.ContinuationToken));
    }

    /// <inheritdoc />
    /// <remarks>
    /// HeadObject first, because S3's DeleteObject succeeds for keys that do not exist. Between the two calls another
    /// client may delete the object: then both deletes report success. The data is gone either way.
    /// </remarks>
    public async Task DeleteAsync(string archiveId, CancellationToken cancellationToken)
    {
        await HeadAsync(archiveId, cancellationToken).ConfigureAwait(false);
        await Call(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = archiveId }, cancellationToken),
            $"deleting {Uri(archiveId)}").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private string Uri(string archiveId) => $"s3://{_options.Bucket}/{archiveId}";

    private async Task<GetObjectMetadataResponse> HeadAsync(string archiveId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(archiveId);
        try
        {
            return await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = archiveId }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsNotFound(e))
        {
            throw NotFound(archiveId, e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw S3Errors.Translate(e, $"looking up {Uri(archiveId)}");
        }
    }

    private async Task RestoreAsync(string archiveId, string tier, int days, CancellationToken cancellationToken)
    {
        var restore = new RestoreObjectRequest { BucketName = _options.Bucket, Key = archiveId, Days = days, Tier = GlacierJobTier.FindValue(tier) };
        try
        {
            await _s3.RestoreObjectAsync(restore, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "RestoreAlreadyInProgress")
        {
            // Someone (another restore run) asked first: the same wait applies.
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw S3Errors.Translate(e, $"requesting a restore of {Uri(archiveId)}");
        }
    }

    private async Task<VaultArchive?> DescribeAsync(S3Object item, CancellationToken cancellationToken)
    {
        GetObjectMetadataResponse head;
        try
        {
            head = await HeadAsync(item.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (ArchiveNotFoundException)
        {
            return null; // deleted while listing
        }

        DateTimeOffset created = new(DateTime.SpecifyKind(item.LastModified ?? head.LastModified ?? DateTime.UtcNow, DateTimeKind.Utc).ToUniversalTime());
        return new VaultArchive(item.Key, head.ContentLength, S3ArchiveMetadata.RunKey(head.Metadata), S3ArchiveMetadata.Description(head.Metadata), created)
        {
            Kind = S3ArchiveMetadata.Kind(head.Metadata),
        };
    }

    private static async Task<T> Call<T>(Func<Task<T>> call, string doing)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw S3Errors.Translate(e, doing);
        }
    }

    private ArchiveNotFoundException NotFound(string archiveId, Exception inner) => new(
        $"No archive '{archiveId}' in {Location} (HTTP {(int)HttpStatusCode.NotFound}). It may have been deleted, or the log refers to another bucket or endpoint.",
        inner);
}
