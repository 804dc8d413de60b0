using System.Text.Json;
using AutoGlacier.Configuration;
using AutoGlacier.Recovery;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;
using AutoGlacier.Tests.Vaults.S3;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.S3;
using static AutoGlacier.Tests.Recovery.RecoveryScenario;

namespace AutoGlacier.Tests.Recovery;

/// <summary>
/// <c>recover</c> against the local Glacier server (inventory and catalog retrievals pending, then continued with the
/// same jobs) and s3rver (catalogs in STANDARD beside DEEP_ARCHIVE archives: read without any restore request).
/// </summary>
public sealed class RecoverGlacierTests : IAsyncLifetime
{
    private static readonly TimeSpan JobDelay = TimeSpan.FromSeconds(1.5);
    private static readonly RetrievalOptions Quick = new() { PollInterval = TimeSpan.FromMilliseconds(200) };
    private readonly BackupWorld _world = new("zstd");
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync(JobDelay);

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    [Fact]
    public async Task Recover_waits_out_the_inventory_and_the_catalog_retrievals_across_runs_reusing_each_job()
    {
        string configPath = GlacierVaultHarness.WriteGlacierConfig(_world, _glacier, "recover", $"\"RSA_PASSPHRASE\": \"{BackupWorld.Passphrase}\"");
        _world.Config = ConfigLoader.LoadFile(configPath);
        string source = _world.NewDirectory("source");
        TreeBuilder.Awkward(source);
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "recover"));
        var run = await BackUpWithCatalogAsync(_world, vault, source);
        var lost = await SnapshotLogAsync(_world.Log);
        LoseTheMachine(_world);
        var noWait = new RetrievalOptions { Wait = false };

        // The command line first: exit 4 while the inventory runs, then 4 again while the catalog's retrieval runs.
        var (inventoryExit, inventory, _) = await CliRun.InvokeAsync("recover", "--config", configPath, "--private-key", _world.PrivateKeyPath, "--no-wait", "--json");
        using (var document = JsonDocument.Parse(inventory))
        {
            Assert.Equal((ExitCodes.Pending, true), (inventoryExit, document.RootElement.GetProperty("inventory_pending").GetBoolean()));
            Assert.Contains("inventory job", document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        await Task.Delay(JobDelay + TimeSpan.FromMilliseconds(500));
        var (pendingExit, pending, _) = await CliRun.InvokeAsync("recover", "--config", configPath, "--private-key", _world.PrivateKeyPath, "--no-wait");
        Assert.Equal(ExitCodes.Pending, pendingExit);
        Assert.Contains($"pending: catalog {run.CatalogId} of run {run.RunKey} is not readable yet", pending, StringComparison.Ordinal);
        Assert.Contains("0 recovered", pending, StringComparison.Ordinal);
        await Task.Delay(JobDelay + TimeSpan.FromMilliseconds(500));
        RecoveryResult done = await RecoverAsync(_world, noWait);

        Assert.Equal((ExitCodes.Success, run.RunKey), (done.ExitCode, Assert.Single(done.Recovered)));
        Assert.Equal(2, _glacier.Server.RequestCount("InitiateJob")); // one inventory, one catalog retrieval: each re-run continued them
        Assert.False(File.Exists(Path.Combine(AutoGlacier.Snapshots.LocalCatalogFile.DirectoryFor(_world.Log.Path), CatalogRetrievals.StateFileName)));
        await AssertRecoveredAsync(_world, run.RunKey, run.CatalogId, run.Catalog, lost[run.RunKey]);
        await AssertRestorableAsync(_world, run.RunKey, source, Quick);
    }

    [Fact]
    public async Task Recover_without_no_wait_polls_until_every_catalog_is_readable()
    {
        _world.Config = ConfigLoader.LoadFile(GlacierVaultHarness.WriteGlacierConfig(_world, _glacier, "recover-wait"));
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "glacier");
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "recover-wait"));
        var first = await BackUpWithCatalogAsync(_world, vault, source);
        var second = await BackUpWithCatalogAsync(_world, vault, source);
        LoseTheMachine(_world);
        await Assert.ThrowsAsync<InventoryPendingException>(() => RecoverAsync(_world, Quick));
        await Task.Delay(JobDelay + TimeSpan.FromMilliseconds(500));

        RecoveryResult result = await RecoverAsync(_world, Quick);

        Assert.Equal([first.RunKey, second.RunKey], result.Recovered);
        Assert.Empty(result.Pending);
    }
}

/// <summary><c>recover</c> from an S3 bucket whose archives are in DEEP_ARCHIVE.</summary>
[Collection(S3Collection.Name)]
public sealed class RecoverS3Tests(S3Fixture fixture)
{
    [Fact]
    public async Task Catalogs_in_STANDARD_are_read_without_a_restore_request_and_the_runs_restore_afterwards()
    {
        using var world = new BackupWorld("zstd");
        world.Config = S3TestData.WithS3(world.Config, fixture.Config(S3StorageClasses.DeepArchive));
        string source = world.NewDirectory("source");
        TreeBuilder.Awkward(source);
        File.WriteAllText(Path.Combine(source, "zebra-secret-4711.txt"), "s3");
        using S3Vault vault = S3Vault.Create(world.Config);
        var run = await BackUpWithCatalogAsync(world, vault, source);
        var lost = await SnapshotLogAsync(world.Log);
        LoseTheMachine(world);

        RecoveryResult result = await RecoverAsync(world, new RetrievalOptions { Wait = false });

        Assert.Equal((ExitCodes.Success, run.RunKey), (result.ExitCode, Assert.Single(result.Recovered)));
        Assert.StartsWith(world.Config.S3Prefix + "catalogs/" + run.RunKey, run.CatalogId, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Proxy.Restores.Keys, key => key.Contains(world.Config.S3Prefix, StringComparison.Ordinal));
        await AssertRecoveredAsync(world, run.RunKey, run.CatalogId, run.Catalog, lost[run.RunKey]);
        await AssertRestorableAsync(world, run.RunKey, source, new RetrievalOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        AssertNowhereIn(Path.Combine(fixture.Server.DataDirectory, S3rverServer.Bucket, world.Config.S3Prefix.TrimEnd('/')), "zebra-secret-4711");
    }
}
