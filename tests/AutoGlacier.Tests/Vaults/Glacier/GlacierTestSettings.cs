using Amazon.Runtime;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>Settings for a GlacierVault against a local server: 1 MiB parts (so small archives are multipart) and fast retries.</summary>
internal static class GlacierTestSettings
{
    public static GlacierSettings For(LocalGlacierFixture glacier, string vault = "conformance", string secret = LocalGlacierFixture.SecretKey) => new()
    {
        Region = "us-east-1",
        VaultName = vault,
        Credentials = new BasicAWSCredentials(LocalGlacierFixture.AccessKey, secret),
        Endpoint = glacier.Server.Endpoint,
        PartSizeMb = 1,
        UploadConcurrency = 2,
        CreateVault = true,
        RetrievalTier = "Expedited",
        BaseRetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };
}
