using AutoGlacier.Configuration;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>
/// The shared vault suite against S3Vault on a real s3rver, through the restore layer. Parts are 5 MiB (S3's
/// minimum), so the 5 MiB + 3 case is a real two-part multipart upload.
/// </summary>
public abstract class S3VaultConformanceTests(S3Fixture fixture, string storageClass) : VaultConformanceTests
{
    protected S3Fixture Fixture { get; } = fixture;

    protected GteuConfig Config { get; } = fixture.Config(storageClass);

    protected override string UnknownArchiveId => Config.S3Prefix + "0-00000000-unknown";

    protected override Task<IVault> CreateVaultAsync() => Task.FromResult<IVault>(S3Vault.Create(Config));

    protected override TimeSpan PollInterval => TimeSpan.FromMilliseconds(50);

    protected override int UniqueIdUploadCount => 10;
}

/// <summary>DEEP_ARCHIVE: every read goes through a restore request first (the proxy completes it at once).</summary>
[Collection(S3Collection.Name)]
public sealed class S3DeepArchiveConformanceTests(S3Fixture fixture) : S3VaultConformanceTests(fixture, S3StorageClasses.DeepArchive)
{
    protected override async Task<RetrievalState> WaitUntilReadableAsync(IVault vault, string archiveId, RetrievalState state)
    {
        // Cold storage: a fresh DEEP_ARCHIVE object is never ready before a restore was requested.
        Assert.True(state.IsReady || Fixture.Proxy.Restores.ContainsKey($"/{S3rverServer.Bucket}/{archiveId}"),
            "a DEEP_ARCHIVE object must be restored before it is read");
        return await base.WaitUntilReadableAsync(vault, archiveId, state);
    }
}

/// <summary>STANDARD: readable at once, no restore request.</summary>
[Collection(S3Collection.Name)]
public sealed class S3StandardConformanceTests(S3Fixture fixture) : S3VaultConformanceTests(fixture, S3StorageClasses.Standard)
{
    protected override async Task<RetrievalState> WaitUntilReadableAsync(IVault vault, string archiveId, RetrievalState state)
    {
        Assert.True(state.IsReady, "a STANDARD object is readable at once");
        Assert.False(Fixture.Proxy.Restores.ContainsKey($"/{S3rverServer.Bucket}/{archiveId}"));
        return await base.WaitUntilReadableAsync(vault, archiveId, state);
    }
}
