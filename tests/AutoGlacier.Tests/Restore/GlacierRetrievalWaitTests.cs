using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;

namespace AutoGlacier.Tests.Restore;

/// <summary>
/// Restore and verify against a local Glacier server whose retrieval jobs take time: by default they wait for the
/// job, polling it, with a progress line per check; <c>--no-wait</c> records the job and exits pending; a maximum
/// wait and cancellation stop the wait and keep the job recorded for the next run.
/// </summary>
public sealed class GlacierRetrievalWaitTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly BackupWorld _world = new("zstd");

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Restore_waits_for_the_retrieval_job_logging_each_check_and_restores_the_files()
    {
        await using LocalGlacierFixture glacier = await LocalGlacierFixture.StartAsync(TimeSpan.FromSeconds(3));
        (GteuConfig config, _, BackupResult backup, string file) = await BackUpAsync(glacier);
        var logger = new CapturingLogger();

        RestoreResult restored = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = config,
            Selector = new RunSelector { RunKey = backup.RunKey },
            PrivateKeyPath = _world.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase,
            TargetDirectory = Path.Combine(_world.Root, "restored"),
            Retrieval = new RetrievalOptions { PollInterval = Poll },
            Logger = logger,
        }, CancellationToken.None);

        Assert.True(restored.ExitCode == ExitCodes.Success, string.Join("; ", restored.Problems));
        Assert.Equal("cold bytes", File.ReadAllText(BackupWorld.Restored(Path.Combine(_world.Root, "restored"), file)));
        Assert.Equal(1, glacier.Server.RequestCount("InitiateJob"));
        var state = (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!.BackendState;
        string job = state["retrieval_token"];
        Assert.Equal("Standard", state["retrieval_tier"]);
        Assert.True(DateTimeOffset.TryParse(state["retrieval_requested_at"], out _), state["retrieval_requested_at"]);
        Assert.Contains(logger.Lines, line => line.Contains("next check at", StringComparison.Ordinal));
        string progress = logger.Lines.First(line => line.Contains("next check at", StringComparison.Ordinal));
        Assert.Contains($"retrieval job {job} in progress since", progress, StringComparison.Ordinal);
        Assert.Contains($"requested {state["retrieval_requested_at"]}", progress, StringComparison.Ordinal);
        Assert.Contains(logger.Lines, line => line.Contains($"Archive {backup.ArchiveId} is readable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_with_no_wait_records_tier_and_request_time_exits_pending_and_the_next_verify_waits_for_the_same_job()
    {
        await using LocalGlacierFixture glacier = await LocalGlacierFixture.StartAsync(TimeSpan.FromSeconds(3));
        (_, string configPath, BackupResult backup, _) = await BackUpAsync(glacier);

        var (exit, _, error) = await CliRun.InvokeAsync("verify", "--config", configPath, "--run", backup.RunKey!, "--no-wait", "--tier", "bulk");

        Assert.Equal(ExitCodes.Pending, exit);
        Assert.Contains("pending: ", error, StringComparison.Ordinal);
        Assert.Contains("Glacier Bulk retrieval job", error, StringComparison.Ordinal);
        var state = (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!.BackendState;
        Assert.Equal("Bulk", state["retrieval_tier"]);
        Assert.Contains(state["retrieval_token"], error, StringComparison.Ordinal);

        (exit, string output, error) = await CliRun.InvokeAsync("verify", "--config", configPath, "--run", backup.RunKey!, "--poll-interval", "100ms");

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains($"Verified run {backup.RunKey}", output, StringComparison.Ordinal);
        Assert.Equal(1, glacier.Server.RequestCount("InitiateJob"));
        var after = (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!.BackendState;
        Assert.Equal((state["retrieval_token"], state["retrieval_requested_at"]), (after["retrieval_token"], after["retrieval_requested_at"]));
    }

    [Fact]
    public async Task A_maximum_wait_gives_up_with_pending_and_the_job_stays_recorded()
    {
        await using LocalGlacierFixture glacier = await LocalGlacierFixture.StartAsync(TimeSpan.FromMinutes(30));
        (GteuConfig config, _, BackupResult backup, _) = await BackUpAsync(glacier);
        var retrieval = new RetrievalOptions { PollInterval = Poll, MaxWait = TimeSpan.FromMilliseconds(300) };

        var pending = await Assert.ThrowsAsync<RetrievalPendingException>(() =>
            VerifyRunner.RunAsync(config, new RunSelector { RunKey = backup.RunKey }, null, null, retrieval, new CapturingLogger(), CancellationToken.None));

        Assert.Contains("still not readable after waiting", pending.Message, StringComparison.Ordinal);
        Assert.Contains("run the same command again later", pending.Message, StringComparison.Ordinal);
        var state = (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!.BackendState;
        Assert.Contains(state["retrieval_token"], pending.Message, StringComparison.Ordinal);
        Assert.Equal(1, glacier.Server.RequestCount("InitiateJob"));
    }

    [Fact]
    public async Task Cancelling_the_wait_stops_it_and_the_job_stays_recorded()
    {
        await using LocalGlacierFixture glacier = await LocalGlacierFixture.StartAsync(TimeSpan.FromMinutes(30));
        (GteuConfig config, _, BackupResult backup, _) = await BackUpAsync(glacier);
        using var cancel = new CancellationTokenSource();
        var logger = new CapturingLogger { OnLine = line => { if (line.Contains("next check at", StringComparison.Ordinal)) { cancel.Cancel(); } } };
        var retrieval = new RetrievalOptions { PollInterval = TimeSpan.FromMinutes(30) };

        Task<RestoreResult> verify = VerifyRunner.RunAsync(config, new RunSelector { RunKey = backup.RunKey }, null, null, retrieval, logger, cancel.Token);

        // Without cancellation this would wait 30 minutes; the bound only keeps a broken build from hanging the suite.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => verify.WaitAsync(TimeSpan.FromMinutes(3)));
        var state = (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!.BackendState;
        Assert.False(string.IsNullOrEmpty(state["retrieval_token"]));
        Assert.Equal(1, glacier.Server.RequestCount("InitiateJob"));
    }

    private async Task<(GteuConfig Config, string ConfigPath, BackupResult Backup, string File)> BackUpAsync(LocalGlacierFixture glacier)
    {
        string configPath = GlacierVaultHarness.WriteGlacierConfig(_world, glacier, "waiting");
        GteuConfig config = ConfigLoader.LoadFile(configPath);
        string source = _world.NewDirectory("source");
        string file = Path.Combine(source, "a.txt");
        File.WriteAllText(file, "cold bytes");
        BackupResult backup = await BackupRunner.RunAsync(new BackupRequest { Config = () => config, Files = [source], RecurseDirectories = true }, CancellationToken.None);
        Assert.True(backup.ExitCode == ExitCodes.Success, backup.Error);
        return (config, configPath, backup, file);
    }
}
