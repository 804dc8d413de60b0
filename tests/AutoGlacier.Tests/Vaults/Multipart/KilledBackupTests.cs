using System.Collections.Concurrent;
using System.Globalization;
using AutoGlacier.Cli;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// The backup process is killed (SIGKILL) while its upload is half done; <c>autoglacier resume</c>, or the job's next
/// run, finishes it from the spool, sending only the parts the server does not hold (every part where the server
/// cannot list parts), and every byte restores. One body for every multipart backend; each joins by naming its server.
/// </summary>
public abstract class KilledBackupTests : BackupRunTests
{
    private string _source = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _source = World.NewDirectory("source");
        for (int i = 0; i < 3; i++)
        {
            // Incompressible, 1.2 parts each: an archive of 4 parts.
            File.WriteAllBytes(Path.Combine(_source, $"random-{i}.bin"), RandomBytes(Server.PartSize + (Server.PartSize / 5), seed: 100 + i));
        }
    }

    [Fact]
    public async Task Resume_after_a_kill_sends_only_the_missing_parts_and_the_backup_restores()
    {
        (string runKey, RunRecord killed, byte[] spool) = await KillWhileUploadingAsync();
        Assert.Equal([1, 2], Server.PartNumbersHeld(RunUploadState.Ticket(killed)!)); // part 3 was held when the process died
        RequestCounts before = Server.Count();

        var (exit, output) = await CliAsync("resume", "--config", ConfigPath, "--progress-interval", "1ms");

        Assert.True(exit == ExitCodes.Success, output);
        Assert.Contains($"{runKey}: resumed: stored as", output, StringComparison.Ordinal);
        // Progress lines on stderr (the first may fall within the 1 ms interval; the final one always comes).
        Assert.Contains($"resume done: run 1/1 {runKey}, part 4/4, ", output, StringComparison.Ordinal);
        Assert.Contains("(100%) uploaded", output, StringComparison.Ordinal);
        RunRecord done = await AssertSucceededAsync(runKey, killed, spool);
        RequestCounts delta = Server.Count() - before;
        int parts = PartCount(done);
        Assert.Equal(4, parts);
        Assert.Equal(Server.ListsParts ? parts - 2 : parts, delta.Parts); // parts 1 and 2 were kept
        Assert.Equal(Server.ListsParts ? (2 + Server.ListPartsPageSize - 1) / Server.ListPartsPageSize : 1, delta.ListParts); // page by page
        Assert.Equal(1, Server.Count().Initiate); // the same upload, completed
        AssertPartsCoverTheArchive(done);
        await AssertRestoresAsync(runKey);
    }

    [Fact]
    public async Task Resume_reports_the_parts_and_bytes_the_vault_holds_until_every_part_is_stored()
    {
        (string runKey, _, byte[] spool) = await KillWhileUploadingAsync();
        var reports = new ConcurrentQueue<ResumeProgress>();

        var results = await UploadResume.ResumeAsync(ConfigLoader.LoadFile(ConfigPath), jobName: null, NullLogger.Instance,
            new SynchronousProgress<ResumeProgress>(reports.Enqueue), CancellationToken.None);

        Assert.Equal(ResumeOutcome.Resumed, Assert.Single(results).Outcome);
        var all = reports.ToList();
        Assert.All(all, r => Assert.Equal((runKey, 1, 1, 4, spool.LongLength), (r.RunKey, r.RunNumber, r.RunCount, r.PartsTotal, r.ArchiveSize)));
        Assert.Equal((ResumePhase.Checking, 0, 0L), (all[0].Phase, all[0].PartsDone, all[0].BytesUploaded));
        Assert.Contains(all, r => r.Phase == ResumePhase.Uploading);
        Assert.Contains(all, r => r.Phase == ResumePhase.Completing && r.PartsDone == 4 && r.BytesUploaded == spool.LongLength);
        var done = all[^1];
        Assert.Equal((ResumePhase.Done, 4, spool.LongLength, 0, TimeSpan.Zero), (done.Phase, done.PartsDone, done.BytesUploaded, done.PartsInFlight, done.EstimatedRemaining));
        Assert.Equal(all.Select(r => r.BytesUploaded).Order(), all.Select(r => r.BytesUploaded)); // only ever grows
    }

    [Fact]
    public async Task The_next_backup_finishes_the_killed_upload_first_then_backs_up_again()
    {
        (string killedKey, _, _) = await KillWhileUploadingAsync();

        var (exit, output) = await CliAsync("backup", "--config", ConfigPath, "--file", _source, "--recursive");

        Assert.True(exit == ExitCodes.Success, output);
        var runs = await World.Log.ListRunsAsync(CancellationToken.None);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, run => Assert.Equal(RunStatus.Succeeded, run.Value.Status));
        Assert.Equal(4, Server.StoredArchiveCount()); // two archives and their two catalogs (the resume stored the killed run's)
        await AssertRestoresAsync(killedKey);
    }

    /// <summary>
    /// Runs a backup in a child process, holds part 3 of its upload, and kills it once the archive is sealed in the
    /// spool. Returns the run, its record and a copy of the spool (the archive's bytes).
    /// </summary>
    private async Task<(string RunKey, RunRecord Record, byte[] Spool)> KillWhileUploadingAsync()
    {
        Server.HoldPartRequest(3);
        using (var child = ChildCli.Start("backup", "--config", ConfigPath, "--file", _source, "--recursive"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!(await SealedRunAsync() is not null && Server.Count().Parts >= 3))
            {
                Assert.False(child.HasExited, "the backup ended before it could be killed: " + child.Output);
                Assert.True(DateTime.UtcNow < deadline, "the backup never reached 'uploading': " + child.Output
                    + "\ntmp: " + string.Join(", ", Directory.EnumerateFiles(World.Config.TmpDir, "*", SearchOption.AllDirectories).Select(f => f + "=" + new FileInfo(f).Length))
                    + "\nruns: " + string.Join(", ", (await World.Log.ListRunsAsync(CancellationToken.None)).Select(r => r.Key + "=" + r.Value.Status)));
                await Task.Delay(100);
            }

            child.Kill();
        }

        Server.ClearFaults();
        var (runKey, record) = (await SealedRunAsync())!.Value;
        Assert.Equal(RunStatus.Uploading, record.Status);
        Assert.Equal(ConfigLoader.LoadFile(ConfigPath).Backend, record.Backend);
        foreach (string key in new[] { "spool_path", "upload_id", "upload_target", "upload_part_size" })
        {
            Assert.True(record.BackendState.ContainsKey(key), $"BackendState lacks {key}");
        }

        Assert.True(File.Exists(record.BackendState["spool_path"]), "the spool outlives the process");
        Assert.Equal(Server.PartSize, long.Parse(record.BackendState["upload_part_size"], CultureInfo.InvariantCulture));
        Assert.Equal(3, Server.Count().Parts); // one part at a time: part 4 never started
        Assert.Equal([record.BackendState["upload_id"]], Server.OpenUploads());
        return (runKey, record, await File.ReadAllBytesAsync(record.BackendState["spool_path"]));
    }

    private async Task<RunRecord> AssertSucceededAsync(string runKey, RunRecord killed, byte[] spool)
    {
        RunRecord done = (await World.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.NotNull(done.ArchiveId);
        Assert.Equal(killed.ArchiveSha256, done.ArchiveSha256);
        Assert.Equal(spool.LongLength, done.ArchiveSize);
        Assert.False(done.BackendState.ContainsKey("spool_path"));
        Assert.False(File.Exists(killed.BackendState["spool_path"]), "the spool is removed after a successful upload");
        Assert.Empty(Server.OpenUploads());
        Server.AssertCompletedFrom(RunUploadState.Ticket(killed)!, done.ArchiveId);
        AssertSameBytes(spool, Server.StoredBytes(done.ArchiveId)); // what the server stored is the sealed archive
        return done;
    }

    /// <summary>The log lists every part: numbered from 1, contiguous, covering the archive, each with its checksum.</summary>
    private void AssertPartsCoverTheArchive(RunRecord record)
    {
        IReadOnlyList<UploadPartRecord> parts = record.UploadParts!;
        Assert.Equal(PartCount(record), parts.Count);
        for (int i = 0; i < parts.Count; i++)
        {
            Assert.Equal((i + 1, (long)i * Server.PartSize), (parts[i].Part, parts[i].Start));
            Assert.Matches(Server.PartChecksumPattern, parts[i].Checksum);
        }

        Assert.Equal(record.ArchiveSize, parts.Sum(p => p.Length));
    }

    private int PartCount(RunRecord record) => (int)((record.ArchiveSize!.Value + Server.PartSize - 1) / Server.PartSize);

    private async Task<(string, RunRecord)?> SealedRunAsync()
    {
        var runs = await World.Log.ListRunsAsync(CancellationToken.None);
        var sealedRun = runs.FirstOrDefault(r => r.Value.Status == RunStatus.Uploading);
        return sealedRun.Value is null ? null : (sealedRun.Key, sealedRun.Value);
    }

    private async Task AssertRestoresAsync(string runKey)
    {
        string target = World.NewDirectory("restored-" + runKey);
        var (exit, output) = await CliAsync("restore", "--config", ConfigPath, "--run", runKey, "--private-key", World.PrivateKeyPath, "--to", target);
        Assert.True(exit == ExitCodes.Success, output);
        TreeAssert.Identical(_source, target);
    }
}
