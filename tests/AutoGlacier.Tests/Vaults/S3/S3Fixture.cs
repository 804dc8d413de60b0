using AutoGlacier.Configuration;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>One s3rver for all S3 tests, with the restore layer in front of it. Stopped after the last test.</summary>
public sealed class S3Fixture : IAsyncLifetime
{
    public S3rverServer Server { get; } = new();

    /// <summary>The shared restore layer (tests that inject faults start their own with <see cref="StartProxyAsync"/>).</summary>
    public S3RestoreProxy Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The SDK's credential chain must never wait on the EC2 metadata endpoint in tests.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        await Server.InitializeAsync();
        Assert.True(Server.Available, $"s3rver is not available: {Server.Unavailable}");
        Proxy = await StartProxyAsync();
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    public Task<S3RestoreProxy> StartProxyAsync() => S3RestoreProxy.StartAsync(Server.Endpoint);

    /// <summary>A configuration for BACKEND s3 against <paramref name="endpoint"/> (the proxy by default), under a prefix of its own.</summary>
    public GteuConfig Config(string storageClass = S3StorageClasses.DeepArchive, Uri? endpoint = null, string? prefix = null) => new()
    {
        Backend = "s3",
        EndpointUrl = (endpoint ?? Proxy.Endpoint).ToString(),
        AwsAccessKeyId = S3rverServer.AccessKey,
        AwsSecretAccessKey = S3rverServer.SecretKey,
        RegionName = "us-east-1",
        S3Bucket = S3rverServer.Bucket,
        S3Prefix = prefix ?? NewPrefix(),
        S3StorageClass = storageClass,
        PartSizeMb = 5,
        UploadConcurrency = 2,
    };

    public static string NewPrefix() => $"test-{Guid.NewGuid():N}/";
}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Fixture>
{
    public const string Name = "s3rver";
}
