using AutoGlacier.Cli;
using AutoGlacier.Configuration;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults.Glacier;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary><c>autoglacier inventory</c>: pending while the inventory job runs, then reuses it and reports vault/log differences.</summary>
public sealed class GlacierInventoryCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan JobDelay = TimeSpan.FromSeconds(1.5);
    private readonly BackupWorld _world = new("zstd");
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync(JobDelay);

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    [Fact]
    public async Task Inventory_is_pending_then_lists_archives_unknown_to_the_log_and_runs_missing_from_the_vault()
    {
        string configPath = WriteGlacierConfig(_world, _glacier, "inventory");
        GteuConfig config = ConfigLoader.LoadFile(configPath);
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "kept");
        BackupResult kept = await BackupRunner.RunAsync(new BackupRequest { Config = () => config, Files = [source], RecurseDirectories = true }, CancellationToken.None);
        BackupResult lost = await BackupRunner.RunAsync(new BackupRequest { Config = () => config, Files = [source], RecurseDirectories = true }, CancellationToken.None);
        string foreignId;
        using (var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "inventory")))
        {
            await vault.DeleteAsync(lost.ArchiveId!, CancellationToken.None); // behind the log's back
            foreignId = (await StoreAsync(vault, RandomBytes(10, seed: 1), "not from this log")).ArchiveId;
        }

        var (exit, output) = await InventoryAsync(configPath);
        Assert.Equal(ExitCodes.Pending, exit);
        Assert.Contains("pending: Glacier inventory job", output, StringComparison.Ordinal);

        await Task.Delay(JobDelay + TimeSpan.FromMilliseconds(500));
        (exit, output) = await InventoryAsync(configPath);

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains($"unknown to the log: archive {foreignId}", output, StringComparison.Ordinal);
        Assert.Contains($"missing from the vault: run {lost.RunKey} archive {lost.ArchiveId}", output, StringComparison.Ordinal);
        Assert.DoesNotContain(kept.ArchiveId!, output, StringComparison.Ordinal);
        Assert.Contains("4 archive(s) in the vault", output, StringComparison.Ordinal); // kept, foreign, and both runs' catalogs
        Assert.Equal(1, _glacier.Server.RequestCount("InitiateJob"));
    }

    private static async Task<(int Exit, string Output)> InventoryAsync(string configPath)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliApp.InvokeAsync(["inventory", "--config", configPath], output, error);
        return (exit, output + error.ToString());
    }
}
