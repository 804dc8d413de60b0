using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Local;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Vaults;

/// <summary>
/// A library user's own backend: any <see cref="IVault"/> passed in the requests is used for backup, restore and
/// verify instead of the one BACKEND names, and the run is logged under its name.
/// </summary>
public sealed class CustomVaultTests : IDisposable
{
    private readonly BackupWorld _world = new("zstd");
    private readonly CountingVault _vault;

    public CustomVaultTests() => _vault = new CountingVault(new LocalVault(_world.NewDirectory("custom-vault")));

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task A_backup_and_restore_go_through_the_callers_vault()
    {
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "stored through a custom vault");
        File.WriteAllBytes(Path.Combine(source, "b.bin"), TreeBuilder.Pseudo(300_000, 9));

        BackupResult backup = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => _world.Config, Files = [source], RecurseDirectories = true, Description = "custom", Vault = _vault,
        }, CancellationToken.None);
        Assert.Equal((ExitCodes.Success, 2), (backup.ExitCode, _vault.Uploads)); // the archive and its catalog
        var record = (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!;
        Assert.Equal((CountingVault.Name, _vault.Location, null), (record.Backend, record.VaultLocation, record.Region));
        Assert.False(Directory.Exists(Path.Combine(_world.Config.LocalVaultDir, "archives")), "the configured local vault must stay untouched");

        string target = _world.NewDirectory("restored");
        RestoreResult restored = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = _world.Config, Selector = new RunSelector { RunKey = backup.RunKey }, PrivateKeyPath = _world.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase, TargetDirectory = target, Vault = _vault,
        }, CancellationToken.None);

        Assert.Equal((0, 2), (restored.Problems.Count, restored.FilesVerified));
        TreeAssert.Identical(source, target);
        Assert.Equal((1, 1), (_vault.Retrievals, _vault.Reads));
    }

    [Fact]
    public async Task Verify_reads_the_callers_vault()
    {
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "verified");
        BackupResult backup = await BackupRunner.RunAsync(new BackupRequest { Config = () => _world.Config, Files = [source], RecurseDirectories = true, Vault = _vault },
            CancellationToken.None);

        RestoreResult verified = await VerifyRunner.RunAsync(_world.Config, _vault, new RunSelector { RunKey = backup.RunKey }, _world.PrivateKeyPath,
            BackupWorld.Passphrase, new RetrievalOptions(), NullLogger.Instance, progress: null, CancellationToken.None);

        Assert.Equal((0, 1, 1), (verified.Problems.Count, verified.FilesVerified, _vault.Reads));
    }
}
