using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>
/// Unfinished runs that cannot be resumed: a process that died before its archive was complete (abandoned: upload
/// aborted, partial spool removed, run marked failed) and a run whose process still lives (left alone).
/// </summary>
public sealed class GlacierUnfinishedRunTests : IAsyncLifetime
{
    private const string Vault = "unfinished";
    private readonly BackupWorld _world = new("zstd");
    private LocalGlacierFixture _glacier = null!;
    private GteuConfig _config = null!;

    public async Task InitializeAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        _config = ConfigLoader.LoadFile(WriteGlacierConfig(_world, _glacier, Vault, "\"PART_SIZE_MB\": 1"));
    }

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    [Fact]
    public async Task A_run_that_died_before_its_archive_was_complete_is_abandoned_and_cleaned_up()
    {
        string lease = Path.Combine(_config.TmpDir, "autoglacier-dead.lock"); // nobody holds it: the process is gone
        File.WriteAllText(lease, "");
        var (runKey, spool) = await StartedRunWithUploadAsync(lease);

        IReadOnlyList<ResumeResult> results = await UploadResume.ResumeAsync(_config, jobName: null, NullLogger.Instance, CancellationToken.None);

        ResumeResult result = Assert.Single(results);
        Assert.Equal((runKey, UploadResume.Abandoned), (result.RunKey, result.Outcome));
        RunRecord record = (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal(RunStatus.Failed, record.Status);
        Assert.Contains("nothing to resume", record.Error, StringComparison.Ordinal);
        Assert.Empty(OpenUploads(_glacier, Vault));
        Assert.False(File.Exists(spool), "the partial spool is removed");
        Assert.Empty(await UploadResume.ResumeAsync(_config, jobName: null, NullLogger.Instance, CancellationToken.None));
    }

    [Fact]
    public async Task A_run_whose_process_still_holds_its_lease_is_left_alone()
    {
        using RunLease held = RunLease.TryTake(Path.Combine(_config.TmpDir, "autoglacier-alive.lock"))!;
        var (runKey, spool) = await StartedRunWithUploadAsync(held.Path);

        ResumeResult result = Assert.Single(await UploadResume.ResumeAsync(_config, jobName: null, NullLogger.Instance, CancellationToken.None));

        Assert.Equal((runKey, UploadResume.Skipped), (result.RunKey, result.Outcome));
        Assert.Equal(RunStatus.Started, (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!.Status);
        Assert.Single(OpenUploads(_glacier, Vault));
        Assert.True(File.Exists(spool));
    }

    [Fact]
    public async Task Runs_of_other_jobs_are_not_touched()
    {
        string lease = Path.Combine(_config.TmpDir, "autoglacier-dead.lock");
        File.WriteAllText(lease, "");
        var (runKey, _) = await StartedRunWithUploadAsync(lease);

        Assert.Empty(await UploadResume.ResumeAsync(_config, jobName: "SomeOtherJob", NullLogger.Instance, CancellationToken.None));
        Assert.Equal(RunStatus.Started, (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_sealed_run_whose_spool_was_truncated_is_discarded_not_retried()
    {
        var (runKey, spool) = await StartedRunWithUploadAsync(DeadLease());
        RunRecord record = (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        await _world.Log.UpdateRunAsync(runKey, RunUploadState.With(record, (RunUploadState.SpoolPath, spool)) with
        {
            Status = RunStatus.Uploading, ArchiveSize = (2 * MiB) + 10, ArchiveSha256 = new string('0', 64),
        }, CancellationToken.None);

        ResumeResult result = Assert.Single(await UploadResume.ResumeAsync(_config, jobName: null, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(UploadResume.Abandoned, result.Outcome);
        Assert.Contains("Run the backup again", result.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!.Status);
        Assert.False(File.Exists(spool));
        Assert.Empty(OpenUploads(_glacier, Vault));
        Assert.Equal(0, _glacier.Server.RequestCount("ListParts")); // refused before any request
    }

    [Fact]
    public async Task A_run_of_another_vault_is_left_for_that_configuration()
    {
        var (runKey, spool) = await StartedRunWithUploadAsync(DeadLease());
        RunRecord record = (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        await _world.Log.UpdateRunAsync(runKey, record with { VaultLocation = "glacier:eu-west-1/elsewhere" }, CancellationToken.None);

        ResumeResult result = Assert.Single(await UploadResume.ResumeAsync(_config, jobName: null, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(UploadResume.Skipped, result.Outcome);
        Assert.Contains("glacier:eu-west-1/elsewhere", result.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Started, (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!.Status);
        Assert.True(File.Exists(spool));
    }

    [Fact]
    public async Task A_run_that_finished_after_the_log_was_listed_is_not_touched()
    {
        var (runKey, _) = await StartedRunWithUploadAsync(DeadLease());
        RunRecord stale = (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        RunRecord finished = stale with { Status = RunStatus.Succeeded, ArchiveId = "stored-meanwhile" };
        await _world.Log.UpdateRunAsync(runKey, finished, CancellationToken.None);
        using var vault = new GlacierVault(GlacierSettings.FromConfig(_config));

        ResumeResult result = await new UnfinishedRun(_world.Log, runKey, stale, vault, _config, NullLogger.Instance).SettleAsync(CancellationToken.None);

        Assert.Equal(UploadResume.Skipped, result.Outcome);
        RunRecord now = (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal((RunStatus.Succeeded, "stored-meanwhile", (string?)null), (now.Status, now.ArchiveId, now.Error));
        Assert.Single(OpenUploads(_glacier, Vault)); // its upload was not aborted
    }

    private string DeadLease()
    {
        string lease = Path.Combine(_config.TmpDir, $"autoglacier-dead-{Guid.NewGuid():N}.lock"); // nobody holds it
        File.WriteAllText(lease, "");
        return lease;
    }

    /// <summary>A "started" run as a killed process leaves it: an initiated upload with one part, and a partial spool.</summary>
    private async Task<(string RunKey, string Spool)> StartedRunWithUploadAsync(string leasePath)
    {
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: Vault) with { PartSizeMb = 1 });
        await StoreAsync(vault, [1]); // creates the vault
        IMultipartBackend backend = ((IMultipartVault)vault).Multipart;
        var record = new RunRecord { Backend = "glacier", Job = "NightlyJob", Description = "killed early", StartedAt = DateTimeOffset.UtcNow, VaultLocation = vault.Location };
        string runKey = await _world.Log.StartRunAsync(record, CancellationToken.None);
        var info = new ArchiveUploadInfo(runKey, "killed early");
        MultipartTicket ticket = await backend.InitiateAsync(backend.NewTarget(info), info, CancellationToken.None);
        await backend.UploadPartAsync(ticket, 0, RandomBytes(MiB, seed: 5), CancellationToken.None);
        RunRecord started = RunUploadState.With(RunUploadState.WithTicket(record, ticket), (RunUploadState.LeasePath, leasePath));
        await _world.Log.UpdateRunAsync(runKey, started, CancellationToken.None);
        string spool = ArchiveSpool.PathFor(_config.TmpDir, runKey);
        File.WriteAllBytes(spool, RandomBytes(MiB + 10, seed: 5));
        return (runKey, spool);
    }
}
