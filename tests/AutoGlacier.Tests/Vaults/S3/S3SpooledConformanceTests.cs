using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>
/// The shared vault suite against S3Vault on s3rver (5 MiB parts) with every upload going through a spool file
/// (SPOOL_ARCHIVE). After each test the spool directory is empty: spools are kept only for uploads that can be resumed.
/// </summary>
public abstract class S3SpooledConformanceTestsBase(S3Fixture fixture, string storageClass) : S3VaultConformanceTests(fixture, storageClass)
{
    private readonly TempDir _spool = new();

    protected string SpoolDirectory => _spool.Path;

    protected override ArchiveUploadInfo UploadInfo(string runKey, string description) =>
        new(runKey, description) { SpoolDirectory = _spool.Path };

    protected override async Task DisposeVaultAsync(IVault vault)
    {
        try
        {
            await base.DisposeVaultAsync(vault);
            Assert.Empty(Directory.EnumerateFileSystemEntries(_spool.Path));
        }
        finally
        {
            _spool.Dispose();
        }
    }

    [Fact]
    public Task Uploads_go_through_the_spool() => AssertUploadGoesThroughSpoolAsync(_spool.Path, (5 * MiB) + 3);
}

/// <summary>STANDARD, spooled.</summary>
[Collection(S3Collection.Name)]
public sealed class S3SpooledStandardConformanceTests(S3Fixture fixture) : S3SpooledConformanceTestsBase(fixture, S3StorageClasses.Standard);

/// <summary>DEEP_ARCHIVE (the default), spooled: reads go through a restore request.</summary>
[Collection(S3Collection.Name)]
public sealed class S3SpooledDeepArchiveConformanceTests(S3Fixture fixture) : S3SpooledConformanceTestsBase(fixture, S3StorageClasses.DeepArchive);
