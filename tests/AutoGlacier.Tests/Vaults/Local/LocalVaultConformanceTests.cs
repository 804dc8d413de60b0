using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Local;

namespace AutoGlacier.Tests.Vaults.Local;

/// <summary>The shared vault suite against a local vault in a fresh temp directory.</summary>
public sealed class LocalVaultConformanceTests : VaultConformanceTests
{
    private readonly TempVaultDirectory _directory = new();

    protected override string UnknownArchiveId => "20260101T000000000Z-0123456789abcdef";

    protected override Task<IVault> CreateVaultAsync() => Task.FromResult<IVault>(new LocalVault(_directory.VaultPath));

    protected override async Task DisposeVaultAsync(IVault vault)
    {
        await base.DisposeVaultAsync(vault);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.ArchivesPath));
        _directory.Dispose();
    }
}
