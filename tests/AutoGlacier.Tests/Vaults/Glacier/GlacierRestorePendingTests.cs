using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>
/// Restore from a vault whose retrieval jobs take time, without waiting: the first restore reports pending and
/// records the job in the log; the next restore of the run reuses that job (no second job) and restores the files.
/// </summary>
public sealed class GlacierRestorePendingTests : IAsyncLifetime
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
    public async Task A_pending_restore_records_the_job_and_the_next_restore_reuses_it()
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

        var pending = await Assert.ThrowsAsync<RetrievalPendingException>(() => RestoreAsync(config));

        Assert.Contains("in progress", pending.Message, StringComparison.Ordinal);
        var record = await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(record!.BackendState["retrieval_token"]));

        await Task.Delay(JobDelay + TimeSpan.FromMilliseconds(500)); // margin: timers and the server clock need not agree to the millisecond
        RestoreResult restored = await RestoreAsync(config);

        Assert.True(restored.ExitCode == ExitCodes.Success, string.Join("; ", restored.Problems));
        Assert.Equal("cold bytes", File.ReadAllText(BackupWorld.Restored(Path.Combine(_world.Root, "restored"), Path.Combine(source, "a.txt"))));
        Assert.Equal(1, _glacier.Server.RequestCount("InitiateJob"));
    }

    private Task<RestoreResult> RestoreAsync(GteuConfig config) =>
        RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = config,
            Selector = new RunSelector { Latest = true },
            PrivateKeyPath = _world.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase,
            TargetDirectory = Path.Combine(_world.Root, "restored"),
            Retrieval = new RetrievalOptions { Wait = false },
            Logger = NullLogger.Instance,
        }, CancellationToken.None);
}
