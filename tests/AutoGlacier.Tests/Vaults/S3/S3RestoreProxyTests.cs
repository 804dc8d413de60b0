using Amazon.S3;
using Amazon.S3.Model;
using AutoGlacier.Vaults.S3;
using static AutoGlacier.Tests.Vaults.S3.S3TestData;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>The restore layer's stand-ins for what s3rver lacks (ListParts, AbortMultipartUpload) answer as S3 does.</summary>
[Collection(S3Collection.Name)]
public sealed class S3RestoreProxyTests(S3Fixture fixture)
{
    [Fact]
    public async Task The_proxys_list_parts_pages_by_marker_and_refuses_unknown_uploads()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        proxy.ListPartsPageSize = 2;
        var config = fixture.Config(S3StorageClasses.Standard, proxy.Endpoint);
        using var s3 = S3ClientFactory.Create(config);
        string key = config.S3Prefix + "listed";
        string uploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = config.S3Bucket, Key = key, ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        })).UploadId;
        Assert.Empty((await ListAsync(s3, config.S3Bucket!, key, uploadId, marker: null)).Parts ?? []);

        var sent = new List<(int Number, long Size, string Checksum, string ETag)>();
        foreach (int number in new[] { 1, 2, 3, 5, 6 })
        {
            byte[] data = RandomBytes(number == 6 ? 1234 : 5 * MiB, seed: number);
            UploadPartResponse response = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = config.S3Bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = new MemoryStream(data),
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256, UseChunkEncoding = false,
            });
            sent.Add((number, data.Length, Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(data)), response.ETag));
        }

        var listed = new List<PartDetail>();
        var markers = new List<int?>();
        string? marker = null;
        do
        {
            ListPartsResponse page = await ListAsync(s3, config.S3Bucket!, key, uploadId, marker);
            Assert.Equal(2, page.MaxParts);
            Assert.True((page.Parts?.Count ?? 0) <= 2);
            listed.AddRange(page.Parts ?? []);
            markers.Add(page.NextPartNumberMarker);
            marker = page.IsTruncated == true ? page.NextPartNumberMarker!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        while (marker is not null);

        Assert.Equal([2, 5, 6], markers);
        Assert.Equal(sent.Select(p => p.Number), listed.Select(p => p.PartNumber!.Value));
        Assert.Equal(sent.Select(p => p.Size), listed.Select(p => p.Size!.Value));
        Assert.Equal(sent.Select(p => p.ETag), listed.Select(p => p.ETag));
        Assert.Equal(sent.Select(p => p.Checksum), listed.Select(p => p.ChecksumSHA256)); // the x-amz-checksum-sha256 each part was sent with
        var page2 = await s3.ListPartsAsync(new ListPartsRequest { BucketName = config.S3Bucket, Key = key, UploadId = uploadId, MaxParts = 1, PartNumberMarker = "3" });
        Assert.Equal((5, true, 5), (page2.Parts!.Single().PartNumber!.Value, page2.IsTruncated!.Value, page2.NextPartNumberMarker!.Value));

        var unknown = await Assert.ThrowsAsync<AmazonS3Exception>(() => ListAsync(s3, config.S3Bucket!, key, "no-such-upload", marker: null));
        Assert.Equal(("NoSuchUpload", System.Net.HttpStatusCode.NotFound), (unknown.ErrorCode, unknown.StatusCode));
        var otherKey = await Assert.ThrowsAsync<AmazonS3Exception>(() => ListAsync(s3, config.S3Bucket!, key + "-other", uploadId, marker: null));
        Assert.Equal("NoSuchUpload", otherKey.ErrorCode);

        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = config.S3Bucket, Key = key, UploadId = uploadId,
            PartETags = sent.Select(p => new PartETag { PartNumber = p.Number, ETag = p.ETag, ChecksumSHA256 = p.Checksum }).ToList(),
        });
        Assert.DoesNotContain(uploadId, proxy.OpenUploads);
        var completed = await Assert.ThrowsAsync<AmazonS3Exception>(() => ListAsync(s3, config.S3Bucket!, key, uploadId, marker: null));
        Assert.Equal("NoSuchUpload", completed.ErrorCode);
    }


    private static Task<ListPartsResponse> ListAsync(AmazonS3Client s3, string bucket, string key, string uploadId, string? marker) =>
        s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartNumberMarker = marker });

    [Fact]
    public async Task The_proxy_aborts_uploads_and_then_refuses_them()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        var config = fixture.Config(S3StorageClasses.Standard, proxy.Endpoint);
        using var s3 = S3ClientFactory.Create(config);
        string key = config.S3Prefix + "aborted";
        string uploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = config.S3Bucket, Key = key })).UploadId;
        Assert.Contains(uploadId, proxy.OpenUploads);

        await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = config.S3Bucket, Key = key, UploadId = uploadId });

        Assert.DoesNotContain(uploadId, proxy.OpenUploads);
        var listed = await Assert.ThrowsAsync<AmazonS3Exception>(() => ListAsync(s3, config.S3Bucket!, key, uploadId, marker: null));
        var part = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = config.S3Bucket, Key = key, UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream(RandomBytes(10, seed: 1)),
            UseChunkEncoding = false,
        }));
        Assert.Equal(("NoSuchUpload", "NoSuchUpload"), (listed.ErrorCode, part.ErrorCode));
    }
}
