using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>
/// Restore from a vault whose retrieval jobs take time: --no-wait returns "pending" (exit code 75) and records the
/// job in the log; the next restore of the run reuses that job and, waiting, restores the files.
/// </summary>
public sealed class GlacierRestorePendingTests : IAsyncLifetime
{
    private readonly BackupWorld _world = new("zstd");
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync(jobDelay: TimeSpan.FromSeconds(1.5));

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    [Fact]
    public async Task No_wait_returns_pending_and_the_next_restore_reuses_the_job()
    {
        GteuConfig config = _world.Config with
        {
            Backend = "glacier",
            EndpointUrl = _glacier.Endpoint,
            VaultName = "pending",
            AwsAccessKeyId = LocalGlacierFixture.AccessKey,
            AwsSecretAccessKey = LocalGlacierFixture.SecretKey,
            CreateVault = true,
            PartSizeMb = 1,
        };
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "cold bytes");
        BackupResult backup = await BackupRunner.RunAsync(new BackupRequest { Config = () => config, Files = [source], RecurseDirectories = true }, CancellationToken.None);
        Assert.True(backup.ExitCode == ExitCodes.Success, backup.Error);

        RestoreResult pending = await RestoreAsync(config, new RetrievalOptions(Wait: false));

        Assert.Equal(ExitCodes.Pending, pending.ExitCode);
        Assert.Contains("in progress", pending.Pending, StringComparison.Ordinal);
        var record = await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None);
        string jobId = record!.BackendState[RetrievalWaiter.TokenKey];
        Assert.False(string.IsNullOrEmpty(jobId));

        RestoreResult restored = await RestoreAsync(config, new RetrievalOptions(Wait: true, PollInterval: TimeSpan.FromMilliseconds(200)));

        Assert.True(restored.ExitCode == ExitCodes.Success, string.Join("; ", restored.Problems));
        Assert.Equal("cold bytes", File.ReadAllText(BackupWorld.Restored(_world.Root + "/restored", Path.Combine(source, "a.txt"))));
        Assert.Equal(1, _glacier.Server.RequestCount("InitiateJob"));
    }

    private Task<RestoreResult> RestoreAsync(GteuConfig config, RetrievalOptions retrieval) =>
        RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = config,
            Selector = new RunSelector { Latest = true },
            PrivateKeyPath = _world.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase,
            TargetDirectory = Path.Combine(_world.Root, "restored"),
            Retrieval = retrieval,
            Logger = NullLogger.Instance,
        }, CancellationToken.None);
}
