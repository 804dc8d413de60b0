using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>
/// The shared vault suite against GlacierVault and a local Glacier server (1 MiB parts) with every upload going
/// through a spool file (SPOOL_ARCHIVE), so the resumable engine meets the same contract as the in-memory one.
/// After each test the spool directory is empty: spools are kept only for uploads that can be resumed.
/// </summary>
public sealed class GlacierSpooledConformanceTests : VaultConformanceTests
{
    private readonly TempDir _spool = new();
    private LocalGlacierFixture? _glacier;

    protected override string UnknownArchiveId => new('A', 138);

    protected override ArchiveUploadInfo UploadInfo(string runKey, string description) =>
        new(runKey, description) { SpoolDirectory = _spool.Path };

    protected override async Task<IVault> CreateVaultAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        var vault = new GlacierVault(GlacierTestSettings.For(_glacier));

        // As in GlacierVaultConformanceTests: an upload disposed unwritten creates only the vault.
        await (await vault.BeginUploadAsync(UploadInfo("0", "create vault"), Cancellation)).DisposeAsync();
        return vault;
    }

    protected override async Task DisposeVaultAsync(IVault vault)
    {
        try
        {
            await base.DisposeVaultAsync(vault);
            Assert.Empty(Directory.EnumerateFileSystemEntries(_spool.Path));
            if (_glacier is not null)
            {
                string vaultDir = Path.Combine(_glacier.DataDirectory, "vaults", "conformance");
                Assert.Empty(Directory.EnumerateFiles(Path.Combine(vaultDir, "archives")));
                Assert.All(Directory.EnumerateDirectories(Path.Combine(vaultDir, "uploads")),
                    upload => Assert.True(File.Exists(Path.Combine(upload, "completed.json")), $"unfinished upload left: {upload}"));
            }
        }
        finally
        {
            if (_glacier is not null)
            {
                await _glacier.DisposeAsync();
            }

            _spool.Dispose();
        }
    }

    [Fact]
    public Task Uploads_go_through_the_spool() => AssertUploadGoesThroughSpoolAsync(_spool.Path, (2 * MiB) + 3);
}
