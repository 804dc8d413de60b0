using AutoGlacier.Configuration;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>Helpers shared by the S3-specific tests.</summary>
internal static class S3TestData
{
    public const int MiB = 1 << 20;

    /// <summary>A backup world's configuration (keys, log, tmp) with the S3 settings of <paramref name="s3"/>.</summary>
    public static GteuConfig WithS3(GteuConfig world, GteuConfig s3) => world with
    {
        Backend = s3.Backend,
        EndpointUrl = s3.EndpointUrl,
        AwsAccessKeyId = s3.AwsAccessKeyId,
        AwsSecretAccessKey = s3.AwsSecretAccessKey,
        RegionName = s3.RegionName,
        S3Bucket = s3.S3Bucket,
        S3Prefix = s3.S3Prefix,
        S3StorageClass = s3.S3StorageClass,
        PartSizeMb = s3.PartSizeMb,
        UploadConcurrency = s3.UploadConcurrency,
    };

    /// <summary>Writes a config file (seed key names) with <paramref name="config"/>'s S3 and world settings, and the key passphrase.</summary>
    public static string WriteConfigFile(AutoGlacier.Tests.Support.BackupWorld world, GteuConfig config)
    {
        string path = Path.Combine(world.Root, "s3.json");
        File.WriteAllText(path, $$"""
            {
              "BACKEND": "s3", "ENDPOINT_URL": "{{config.EndpointUrl}}", "REGION_NAME": "{{config.RegionName}}",
              "AWS_ACCESS_KEY_ID": "{{config.AwsAccessKeyId}}", "AWS_SECRET_ACCESS_KEY": "{{config.AwsSecretAccessKey}}",
              "S3_BUCKET": "{{config.S3Bucket}}", "S3_PREFIX": "{{config.S3Prefix}}", "S3_STORAGE_CLASS": "{{config.S3StorageClass}}",
              "PART_SIZE_MB": {{config.PartSizeMb}}, "UPLOAD_CONCURRENCY": {{config.UploadConcurrency ?? 2}}, "COMPRESSION": "{{config.Compression}}", "TMP_DIR": "{{config.TmpDir}}",
              "JSON_DATABASE": "{{config.JsonDatabase}}", "PUBL_RSA_KEY_PATH": "{{world.PublicKeyPath}}",
              "RSA_PASSPHRASE": "{{AutoGlacier.Tests.Support.BackupWorld.Passphrase}}"
            }
            """);
        return path;
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static S3Vault Vault(GteuConfig config, Func<S3VaultOptions, S3VaultOptions>? adjust = null) =>
        new(S3ClientFactory.Create(config), (adjust ?? (o => o))(S3VaultOptions.From(config)));

    public static async Task<StoredArchive> StoreAsync(IVault vault, byte[] data, string description = "s3 test")
    {
        await using IArchiveUpload upload = await vault.BeginUploadAsync(new ArchiveUploadInfo(NewRunKey(), description), CancellationToken.None);
        await upload.Content.WriteAsync(data);
        return await upload.CompleteAsync(CancellationToken.None);
    }

    public static async Task<byte[]> ReadAllAsync(IVault vault, string archiveId, long offset = 0)
    {
        await using Stream stream = await vault.OpenReadAsync(archiveId, offset, CancellationToken.None);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The file in which s3rver keeps an object's bytes (to check what it stored, bypassing every reader of ours).</summary>
    public static string StoredFile(S3Fixture fixture, string key)
    {
        string[] parts = key.Split('/');
        string directory = Path.Combine([fixture.Server.DataDirectory, S3rverServer.Bucket, .. parts[..^1]]);
        return Path.Combine(directory, parts[^1] + "._S3rver_object");
    }

    public static string NewRunKey() => $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(0, 999_999):D6}";

    public static void AssertSameBytes(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int mismatch = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(mismatch == expected.Length, $"bytes differ from offset {mismatch}");
    }
}
