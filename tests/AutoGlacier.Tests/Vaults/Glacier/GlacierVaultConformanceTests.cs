using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>The shared vault suite against GlacierVault and a local Glacier server, with 1 MiB parts to exercise multipart.</summary>
public sealed class GlacierVaultConformanceTests : VaultConformanceTests
{
    private LocalGlacierFixture? _glacier;

    protected override string UnknownArchiveId => new('A', 138);

    protected override async Task<IVault> CreateVaultAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        var vault = new GlacierVault(GlacierTestSettings.For(_glacier));

        // CREATE_VAULT makes the vault on first upload; an upload disposed unwritten creates only the vault, so the
        // unknown-id tests meet an existing vault (a missing archive, not a missing vault).
        await (await vault.BeginUploadAsync(new ArchiveUploadInfo("0", "create vault"), Cancellation)).DisposeAsync();
        return vault;
    }

    protected override async Task DisposeVaultAsync(IVault vault)
    {
        await base.DisposeVaultAsync(vault);
        if (_glacier is not null)
        {
            // Nothing left behind: no unfinished multipart upload, no archive.
            string vaultDir = Path.Combine(_glacier.DataDirectory, "vaults", "conformance");
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(vaultDir, "archives")));
            Assert.All(Directory.EnumerateDirectories(Path.Combine(vaultDir, "uploads")),
                upload => Assert.True(File.Exists(Path.Combine(upload, "completed.json")), $"unfinished upload left: {upload}"));
            await _glacier.DisposeAsync();
        }
    }
}
