using Amazon.S3;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;
using static AutoGlacier.Tests.Vaults.S3.S3TestData;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>
/// Snapshot catalogs in S3: their own key under the prefix (marked as catalogs, naming no file), in
/// CATALOG_STORAGE_CLASS whatever S3_STORAGE_CLASS is, and readable at once (no restore request) from a DEEP_ARCHIVE vault.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class S3CatalogTests(S3Fixture fixture)
{
    [Theory]
    [InlineData(3000)]             // one PutObject
    [InlineData(6 * MiB + 5)]      // a multipart upload: the class is set when it is created
    public async Task A_catalog_in_a_deep_archive_vault_is_stored_standard_under_catalogs_and_read_without_a_restore(int size)
    {
        var config = fixture.Config(S3StorageClasses.DeepArchive);
        using S3Vault vault = Vault(config);
        using AmazonS3Client client = S3ClientFactory.Create(config);
        string runKey = NewRunKey();
        byte[] data = RandomBytes(size, seed: size);

        StoredArchive stored = await StoreAsync(vault, data, runKey, "secret-project.docx", VaultObjectKind.Catalog);
        var head = await client.GetObjectMetadataAsync(S3rverServer.Bucket, stored.ArchiveId);
        RetrievalState state = await vault.RequestRetrievalAsync(stored.ArchiveId, new RetrievalRequest(), CancellationToken.None);

        Assert.StartsWith($"{config.S3Prefix}catalogs/{runKey}-", stored.ArchiveId, StringComparison.Ordinal);
        Assert.EndsWith(".catalog", stored.ArchiveId, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", stored.ArchiveId, StringComparison.Ordinal);
        Assert.Equal("STANDARD", head.StorageClass?.Value);
        Assert.Equal("catalog", head.Metadata["autoglacier-kind"]);
        Assert.True(state.IsReady, state.Message);
        Assert.DoesNotContain(fixture.Proxy.Requests, r => r.ObjectPath.EndsWith(stored.ArchiveId, StringComparison.Ordinal) && r.IsRestore);
        AssertSameBytes(data, await ReadAllAsync(vault, stored.ArchiveId));
    }

    [Fact]
    public async Task CATALOG_STORAGE_CLASS_sets_the_catalogs_class_and_leaves_the_archives_in_theirs()
    {
        // STANDARD_IA, not GLACIER_IR: s3rver 3.7.1 predates GLACIER_IR and refuses it.
        var config = fixture.Config(S3StorageClasses.Glacier).WithBackendSetting(S3Backend.CatalogStorageClass, S3StorageClasses.StandardInfrequentAccess);
        using S3Vault vault = Vault(config);
        using AmazonS3Client client = S3ClientFactory.Create(config);
        string runKey = NewRunKey();

        StoredArchive catalog = await StoreAsync(vault, RandomBytes(100, seed: 1), runKey, "run", VaultObjectKind.Catalog);
        StoredArchive archive = await StoreAsync(vault, RandomBytes(100, seed: 2), runKey, "run", VaultObjectKind.Archive);
        var listed = await vault.ListAsync(CancellationToken.None).ToDictionaryAsync(a => a.ArchiveId);

        Assert.Equal("STANDARD_IA", (await client.GetObjectMetadataAsync(S3rverServer.Bucket, catalog.ArchiveId)).StorageClass?.Value);
        Assert.Equal("GLACIER", (await client.GetObjectMetadataAsync(S3rverServer.Bucket, archive.ArchiveId)).StorageClass?.Value);
        Assert.False(archive.ArchiveId.Contains("/catalogs/", StringComparison.Ordinal));
        Assert.Equal((VaultObjectKind.Catalog, runKey), (listed[catalog.ArchiveId].Kind, listed[catalog.ArchiveId].RunKey));
        Assert.Equal((VaultObjectKind.Archive, runKey), (listed[archive.ArchiveId].Kind, listed[archive.ArchiveId].RunKey));
    }

    private static async Task<StoredArchive> StoreAsync(S3Vault vault, byte[] data, string runKey, string description, VaultObjectKind kind)
    {
        await using IArchiveUpload upload = await vault.BeginUploadAsync(new ArchiveUploadInfo(runKey, description) { Kind = kind }, CancellationToken.None);
        await upload.Content.WriteAsync(data);
        return await upload.CompleteAsync(CancellationToken.None);
    }
}
