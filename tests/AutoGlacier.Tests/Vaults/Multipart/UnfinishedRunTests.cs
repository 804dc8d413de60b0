using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// Unfinished runs that cannot be resumed: a process that died before its archive was complete (abandoned: upload
/// aborted, partial spool removed, run marked failed) and a run whose process still lives (left alone). One body for
/// every multipart backend.
/// </summary>
public abstract class UnfinishedRunTests : BackupRunTests
{
    private GteuConfig _config = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _config = ConfigLoader.LoadFile(ConfigPath);
    }

    [Fact]
    public async Task A_run_that_died_before_its_archive_was_complete_is_abandoned_and_cleaned_up()
    {
        var (runKey, spool) = await StartedRunWithUploadAsync(DeadLease());

        ResumeResult result = Assert.Single(await ResumeAllAsync());

        Assert.Equal((runKey, UploadResume.Abandoned), (result.RunKey, result.Outcome));
        RunRecord record = (await World.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal(RunStatus.Failed, record.Status);
        Assert.Contains("nothing to resume", record.Error, StringComparison.Ordinal);
        Assert.Empty(Server.OpenUploads());
        Assert.False(File.Exists(spool), "the partial spool is removed");
        Assert.Empty(await ResumeAllAsync());
    }

    [Fact]
    public async Task A_run_whose_process_still_holds_its_lease_is_left_alone()
    {
        using RunLease held = RunLease.TryTake(Path.Combine(_config.TmpDir, "autoglacier-alive.lock"))!;
        var (runKey, spool) = await StartedRunWithUploadAsync(held.Path);

        ResumeResult result = Assert.Single(await ResumeAllAsync());

        Assert.Equal((runKey, UploadResume.Skipped), (result.RunKey, result.Outcome));
        Assert.Equal(RunStatus.Started, (await World.Log.GetRunAsync(runKey, CancellationToken.None))!.Status);
        Assert.Single(Server.OpenUploads());
        Assert.True(File.Exists(spool));
    }

    [Fact]
    public async Task Runs_of_other_jobs_are_not_touched()
    {
        var (runKey, _) = await StartedRunWithUploadAsync(DeadLease());

        Assert.Empty(await UploadResume.ResumeAsync(_config, jobName: "SomeOtherJob", NullLogger.Instance, CancellationToken.None));
        Assert.Equal(RunStatus.Started, (await World.Log.GetRunAsync(runKey, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_sealed_run_whose_spool_was_truncated_is_discarded_not_retried()
    {
        var (runKey, spool) = await StartedRunWithUploadAsync(DeadLease());
        RunRecord record = (await World.Log.GetRunAsync(runKey, CancellationToken.None))!;
        await World.Log.UpdateRunAsync(runKey, RunUploadState.With(record, (RunUploadState.SpoolPath, spool)) with
        {
            Status = RunStatus.Uploading, ArchiveSize = (2L * Server.PartSize) + 10, ArchiveSha256 = new string('0', 64),
        }, CancellationToken.None);

        ResumeResult result = Assert.Single(await ResumeAllAsync());

        Assert.Equal(UploadResume.Abandoned, result.Outcome);
        Assert.Contains("Run the backup again", result.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, (await World.Log.GetRunAsync(runKey, CancellationToken.None))!.Status);
        Assert.False(File.Exists(spool));
        Assert.Empty(Server.OpenUploads());
        Assert.Equal(0, Server.Count().ListParts); // refused before any request
    }

    [Fact]
    public async Task A_run_of_another_vault_is_left_for_that_configuration()
    {
        var (runKey, spool) = await StartedRunWithUploadAsync(DeadLease());
        RunRecord record = (await World.Log.GetRunAsync(runKey, CancellationToken.None))!;
        string elsewhere = $"{record.Backend}:eu-west-1/elsewhere";
        await World.Log.UpdateRunAsync(runKey, record with { VaultLocation = elsewhere }, CancellationToken.None);

        ResumeResult result = Assert.Single(await ResumeAllAsync());

        Assert.Equal(UploadResume.Skipped, result.Outcome);
        Assert.Contains(elsewhere, result.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Started, (await World.Log.GetRunAsync(runKey, CancellationToken.None))!.Status);
        Assert.True(File.Exists(spool));
    }

    [Fact]
    public async Task A_run_that_finished_after_the_log_was_listed_is_not_touched()
    {
        var (runKey, _) = await StartedRunWithUploadAsync(DeadLease());
        RunRecord stale = (await World.Log.GetRunAsync(runKey, CancellationToken.None))!;
        RunRecord finished = stale with { Status = RunStatus.Succeeded, ArchiveId = "stored-meanwhile" };
        await World.Log.UpdateRunAsync(runKey, finished, CancellationToken.None);
        IVault vault = VaultFactory.Create(_config);
        ResumeResult result;
        try
        {
            result = await new UnfinishedRun(World.Log, runKey, stale, (IMultipartVault)vault, _config, NullLogger.Instance).SettleAsync(CancellationToken.None);
        }
        finally
        {
            await DisposeVaultAsync(vault);
        }

        Assert.Equal(UploadResume.Skipped, result.Outcome);
        RunRecord now = (await World.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal((RunStatus.Succeeded, "stored-meanwhile", (string?)null), (now.Status, now.ArchiveId, now.Error));
        Assert.Single(Server.OpenUploads()); // its upload was not aborted
    }

    private Task<IReadOnlyList<ResumeResult>> ResumeAllAsync() =>
        UploadResume.ResumeAsync(_config, jobName: null, NullLogger.Instance, CancellationToken.None);

    /// <summary>A lease file nobody holds: its process is gone.</summary>
    private string DeadLease()
    {
        string lease = Path.Combine(_config.TmpDir, $"autoglacier-dead-{Guid.NewGuid():N}.lock");
        File.WriteAllText(lease, "");
        return lease;
    }

    /// <summary>A "started" run as a killed process leaves it: an initiated upload with one part, and a partial spool.</summary>
    private async Task<(string RunKey, string Spool)> StartedRunWithUploadAsync(string leasePath)
    {
        IVault vault = VaultFactory.Create(_config);
        try
        {
            IMultipartBackend backend = ((IMultipartVault)vault).Multipart;
            var record = new RunRecord
            {
                Backend = vault.BackendName, Job = "NightlyJob", Description = "killed early", StartedAt = DateTimeOffset.UtcNow, VaultLocation = vault.Location,
            };
            string runKey = await World.Log.StartRunAsync(record, CancellationToken.None);
            var info = new ArchiveUploadInfo(runKey, "killed early");
            MultipartTicket ticket = await backend.InitiateAsync(backend.NewTarget(info), info, CancellationToken.None);
            await backend.UploadPartAsync(ticket, 0, RandomBytes(Server.PartSize, seed: 5), CancellationToken.None);
            RunRecord started = RunUploadState.With(RunUploadState.WithTicket(record, ticket), (RunUploadState.LeasePath, leasePath));
            await World.Log.UpdateRunAsync(runKey, started, CancellationToken.None);
            string spool = ArchiveSpool.PathFor(_config.TmpDir, runKey);
            File.WriteAllBytes(spool, RandomBytes(Server.PartSize + 10, seed: 5));
            return (runKey, spool);
        }
        finally
        {
            await DisposeVaultAsync(vault);
        }
    }
}
