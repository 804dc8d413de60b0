using System.Text.Json;
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

    [Fact]
    public async Task Inventory_with_wait_shows_each_check_of_the_job_and_then_the_counts()
    {
        string configPath = WriteGlacierConfig(_world, _glacier, "waited");
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "kept");
        var config = ConfigLoader.LoadFile(configPath);
        await BackupRunner.RunAsync(new BackupRequest { Config = () => config, Files = [source], RecurseDirectories = true }, CancellationToken.None);

        // Not long enough: each check is a progress line, then "pending" and exit 4.
        var (exit, output, error) = await CliRun.InvokeAsync("inventory", "--config", configPath, "--wait", "--poll-interval", "100ms",
            "--max-wait", "250ms", "--progress-interval", "1ms");
        Assert.True(exit == ExitCodes.Pending, output + error);
        Assert.Contains("inventory: waiting for the vault's inventory job (0:00:00 so far; next check ", error, StringComparison.Ordinal);
        Assert.Contains("pending: Glacier inventory job", output, StringComparison.Ordinal);

        // Long enough, with JSON: the waits and the final counts are JSON lines on stderr.
        (exit, output, error) = await CliRun.InvokeAsync("inventory", "--config", configPath, "--wait", "--poll-interval", "200ms",
            "--progress-interval", "1ms", "--json");
        Assert.True(exit == ExitCodes.Success, output + error);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(lines, l => Assert.Equal(("status", "inventory"), (l.GetProperty("message_type").GetString(), l.GetProperty("command").GetString())));
        var waiting = lines.First(l => l.GetProperty("phase").GetString() == "waiting").GetProperty("waiting");
        Assert.Contains("InProgress", waiting.GetProperty("state").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", waiting.GetProperty("next_check").GetString());
        var done = lines[^1];
        Assert.Equal(("done", 2, 1, 0, 0, 0), (done.GetProperty("phase").GetString(), done.GetProperty("archives_listed").GetInt32(),
            done.GetProperty("runs_in_log").GetInt32(), done.GetProperty("unknown_to_log").GetInt32(), done.GetProperty("missing_from_vault").GetInt32(),
            done.GetProperty("size_mismatches").GetInt32()));
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("consistent").GetBoolean());
        Assert.Equal(1, _glacier.Server.RequestCount("InitiateJob")); // every check asked about the same job
    }

    private static async Task<(int Exit, string Output)> InventoryAsync(string configPath)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliApp.InvokeAsync(["inventory", "--config", configPath], output, error);
        return (exit, output + error.ToString());
    }
}
