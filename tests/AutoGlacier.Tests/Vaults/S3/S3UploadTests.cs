using Amazon.S3;
using Amazon.S3.Model;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;
using static AutoGlacier.Tests.Vaults.S3.S3TestData;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>What S3Vault sends and what s3rver ends up storing: framing, checksums, metadata, limits, aborts.</summary>
[Collection(S3Collection.Name)]
public sealed class S3UploadTests(S3Fixture fixture)
{
    [Theory]
    [InlineData(1000)]              // one PutObject
    [InlineData(11 * MiB + 7)]      // three multipart parts
    public async Task Stored_object_bytes_equal_the_archive_bytes_without_aws_chunked_framing(int size)
    {
        var config = fixture.Config(S3StorageClasses.Standard);
        using S3Vault vault = Vault(config);
        byte[] data = RandomBytes(size, seed: size);

        StoredArchive stored = await StoreAsync(vault, data);

        // What s3rver wrote to disk, read without any code of ours: aws-chunked framing would show up here.
        AssertSameBytes(data, await File.ReadAllBytesAsync(StoredFile(fixture, stored.ArchiveId)));
        AssertSameBytes(data, await ReadAllAsync(vault, stored.ArchiveId));
        var uploads = fixture.Proxy.Requests.Where(r => r.ObjectPath.EndsWith(stored.ArchiveId, StringComparison.Ordinal) && (r.IsUploadPart || r.IsPutObject)).ToList();
        Assert.NotEmpty(uploads);
        Assert.All(uploads, r => Assert.DoesNotContain("aws-chunked", r.ContentEncoding, StringComparison.OrdinalIgnoreCase));
        Assert.All(uploads, r => Assert.NotEmpty(r.Checksum)); // every part verified by S3 (here: by the restore layer)
    }

    [Fact]
    public async Task The_SDK_default_framing_would_corrupt_the_object_so_the_check_above_can_fail()
    {
        // Control experiment for the test above: a plain SDK v4 PutObject (chunked encoding on) against s3rver.
        var config = fixture.Config(S3StorageClasses.Standard);
        using AmazonS3Client client = S3ClientFactory.Create(config);
        byte[] data = RandomBytes(1000, seed: 3);
        string key = config.S3Prefix + "sdk-default";
        await client.PutObjectAsync(new PutObjectRequest { BucketName = S3rverServer.Bucket, Key = key, InputStream = new MemoryStream(data) });

        byte[] stored = await File.ReadAllBytesAsync(StoredFile(fixture, key));
        Assert.NotEqual(data.Length, stored.Length);
    }

    [Fact]
    public async Task Metadata_holds_run_key_format_description_and_single_part_hashes()
    {
        // STANDARD_IA, not GLACIER_IR: s3rver 3.7.1 predates GLACIER_IR and refuses it (400 InvalidStorageClass).
        var config = fixture.Config(S3StorageClasses.StandardInfrequentAccess);
        using S3Vault vault = Vault(config);
        using AmazonS3Client client = S3ClientFactory.Create(config);
        byte[] data = RandomBytes(5000, seed: 4);
        const string description = "Zürich 📦 \"quotes\", newline\n and 100% done";
        await using IArchiveUpload upload = await vault.BeginUploadAsync(new ArchiveUploadInfo("1700000000.123456", description), CancellationToken.None);
        await upload.Content.WriteAsync(data);
        StoredArchive stored = await upload.CompleteAsync(CancellationToken.None);

        var head = await client.GetObjectMetadataAsync(S3rverServer.Bucket, stored.ArchiveId);

        Assert.StartsWith(config.S3Prefix + "1700000000.123456-", stored.ArchiveId, StringComparison.Ordinal);
        Assert.EndsWith("-zurich-quotes-newline-and-100-done", stored.ArchiveId, StringComparison.Ordinal);
        Assert.Equal($"s3://{S3rverServer.Bucket}/{stored.ArchiveId}", stored.Location);
        Assert.Equal("STANDARD_IA", head.StorageClass?.Value);
        Assert.Equal("1", head.Metadata["autoglacier-format"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), head.Metadata["autoglacier-sha256"]);
        Assert.Equal(Convert.ToHexStringLower(AutoGlacier.Tests.Hashing.TreeHashReference.Compute(data)), head.Metadata["autoglacier-tree-hash"]);
        var listed = await vault.ListAsync(CancellationToken.None).SingleAsync();
        Assert.Equal(("1700000000.123456", description), (listed.RunKey, listed.Description));
    }

    [Fact]
    public async Task Multipart_objects_get_their_storage_class_and_description_at_creation()
    {
        var config = fixture.Config(S3StorageClasses.Glacier);
        using S3Vault vault = Vault(config);
        using AmazonS3Client client = S3ClientFactory.Create(config);

        StoredArchive stored = await StoreAsync(vault, RandomBytes(6 * MiB, seed: 5), "multi part");
        var head = await client.GetObjectMetadataAsync(S3rverServer.Bucket, stored.ArchiveId);

        Assert.Equal("GLACIER", head.StorageClass?.Value);
        Assert.Equal("multi%20part", head.Metadata["autoglacier-description"]);
        Assert.Equal(6 * MiB, head.ContentLength);
    }

    [Fact]
    public async Task An_archive_outgrowing_the_part_limit_is_refused_with_the_fix_and_the_upload_aborted()
    {
        var config = fixture.Config(S3StorageClasses.Standard);
        using S3Vault vault = Vault(config, o => o with { MaxParts = 2 }); // 10,000 parts of 5 MiB would be 49 GiB
        await using IArchiveUpload upload = await vault.BeginUploadAsync(new ArchiveUploadInfo(NewRunKey(), "too big"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<AutoGlacierException>(async () => await upload.Content.WriteAsync(RandomBytes(15 * MiB + 1, seed: 6)));

        Assert.Contains("Set PART_SIZE_MB to at least", error.Message);
        await upload.DisposeAsync();
        Assert.Contains(fixture.Proxy.Requests, r => r.IsAbort && r.ObjectPath.Contains(config.S3Prefix, StringComparison.Ordinal));
        Assert.Empty(await vault.ListAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public void Part_limits_name_the_smallest_part_size_that_fits()
    {
        Assert.Equal(5, S3Limits.PartSizeMbFor(1));
        Assert.Equal(100, S3Limits.PartSizeMbFor(10_000L * 100 * MiB));
        Assert.Equal(101, S3Limits.PartSizeMbFor(10_000L * 100 * MiB + 1));
        Assert.Equal(S3Limits.MaxObjectSize, S3Limits.MaxArchiveSize(S3Limits.MaxPartSize));
        Assert.Equal(10_000L * 32 * MiB, S3Limits.MaxArchiveSize(S3VaultOptions.DefaultPartSizeMb * (long)MiB));
    }

    [Fact]
    public async Task Disposing_a_multipart_upload_without_completing_aborts_it()
    {
        var config = fixture.Config(S3StorageClasses.DeepArchive);
        using S3Vault vault = Vault(config);
        await using (IArchiveUpload upload = await vault.BeginUploadAsync(new ArchiveUploadInfo(NewRunKey(), "abandoned"), CancellationToken.None))
        {
            await upload.Content.WriteAsync(RandomBytes(12 * MiB, seed: 7));
        }

        Assert.Contains(fixture.Proxy.Requests, r => r.IsAbort && r.ObjectPath.Contains(config.S3Prefix, StringComparison.Ordinal));
        Assert.Empty(await vault.ListAsync(CancellationToken.None).ToListAsync());
    }
}
