using AutoGlacier.Configuration;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;

namespace AutoGlacier.Tests.Migration;

/// <summary>Where the migration tests' runs start: a vault on the local Glacier server.</summary>
internal static class MigrationSource
{
    /// <summary>The world's config pointed at the vault "old-vault" of <paramref name="glacier"/> (1 MiB parts, Expedited retrievals).</summary>
    public static GteuConfig GlacierVault(BackupWorld world, LocalGlacierFixture glacier) => world.Config with
    {
        Backend = "glacier", EndpointUrl = glacier.Endpoint, VaultName = "old-vault", RegionName = "us-east-1",
        AwsAccessKeyId = LocalGlacierFixture.AccessKey, AwsSecretAccessKey = LocalGlacierFixture.SecretKey,
        CreateVault = true, PartSizeMb = 1, RetrievalTier = "Expedited",
    };
}
