using AutoGlacier.Cli;
using AutoGlacier.Configuration;
using AutoGlacier.Tests.Support;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary><c>autoglacier delete --config FILE --run KEY</c> against a Glacier vault: archive gone, log records it, early-deletion warning.</summary>
public sealed class GlacierDeleteCommandTests : IAsyncLifetime
{
    private readonly BackupWorld _world = new("zstd");
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    [Fact]
    public async Task Delete_removes_the_archive_records_it_and_warns_about_the_90_days()
    {
        string configPath = WriteGlacierConfig(_world, _glacier, "deletions");
        GteuConfig config = ConfigLoader.LoadFile(configPath);
        string source = _world.NewDirectory("source");
        File.WriteAllBytes(Path.Combine(source, "a.bin"), RandomBytes(1000, seed: 1));
        BackupResult backup = await BackupRunner.RunAsync(new BackupRequest { Config = () => config, Files = [source], RecurseDirectories = true }, CancellationToken.None);
        Assert.True(backup.ExitCode == ExitCodes.Success, backup.Error);
        Assert.Equal(2, StoredArchives(_glacier, "deletions").Count()); // the archive and its catalog

        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliApp.InvokeAsync(["delete", "--config", configPath, "--run", backup.RunKey!], output, error);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains($"Deleted archive {backup.ArchiveId}", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("90 days", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(StoredArchives(_glacier, "deletions"));
        var record = await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None);
        Assert.True(record!.BackendState.ContainsKey(RunDeletion.DeletedAtKey));

        // A second delete finds the deletion in the log and says so.
        error = new StringWriter();
        Assert.NotEqual(0, await CliApp.InvokeAsync(["delete", "--config", configPath, "--run", backup.RunKey!], new StringWriter(), error));
        Assert.Contains("was already deleted", error.ToString(), StringComparison.Ordinal);
    }
}
