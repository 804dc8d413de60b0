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

    /// <summary>A "started" run as a killed process leaves it: an initiated upload with one part, and a partial spool.</summary>
    private async Task<(string RunKey, string Spool)> StartedRunWithUploadAsync(string leasePath)
    {
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: Vault) with { PartSizeMb = 1 });
        await StoreAsync(vault, [1]); // creates the vault
        IMultipartBackend backend = ((IMultipartVault)vault).Multipart;
        var record = new RunRecord { Backend = "glacier", Job = "NightlyJob", Description = "killed early", StartedAt = DateTimeOffset.UtcNow };
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
