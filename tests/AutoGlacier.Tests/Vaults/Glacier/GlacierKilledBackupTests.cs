using AutoGlacier.Cli;
using AutoGlacier.LocalGlacier;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>
/// The backup process is killed (SIGKILL) while its upload is half done; <c>autoglacier resume</c>, or the job's next
/// run, finishes it from the spool, sending only the parts Glacier does not hold, and every byte restores.
/// </summary>
public sealed class GlacierKilledBackupTests : IAsyncLifetime
{
    private const string Vault = "killed";
    private readonly BackupWorld _world = new("zstd");
    private LocalGlacierFixture _glacier = null!;
    private string _configPath = null!;
    private string _source = null!;

    public async Task InitializeAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        _configPath = WriteGlacierConfig(_world, _glacier, Vault,
            $"\"PART_SIZE_MB\": 1, \"UPLOAD_CONCURRENCY\": 1, \"RSA_PASSPHRASE\": \"{BackupWorld.Passphrase}\"");
        _source = _world.NewDirectory("source");
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllBytes(Path.Combine(_source, $"random-{i}.bin"), RandomBytes(2 * MiB, seed: i)); // incompressible: 6+ parts
        }
    }

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    [Fact]
    public async Task Resume_after_a_kill_sends_only_the_missing_parts_and_the_backup_restores()
    {
        (string runKey, RunRecord killed) = await KillWhileUploadingAsync();
        int partsBefore = _glacier.Server.RequestCount("UploadMultipartPart");

        var (exit, output) = await CliAsync("resume", "--config", _configPath);

        Assert.True(exit == ExitCodes.Success, output);
        Assert.Contains($"{runKey}: resumed: stored as", output, StringComparison.Ordinal);
        RunRecord done = (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.NotNull(done.ArchiveId);
        Assert.Equal(killed.ArchiveSha256, done.ArchiveSha256);
        Assert.False(done.BackendState.ContainsKey("spool_path"));
        Assert.False(File.Exists(killed.BackendState["spool_path"]), "the spool is removed after a successful upload");
        Assert.Empty(OpenUploads(_glacier, Vault));
        long parts = (done.ArchiveSize!.Value + MiB - 1) / MiB;
        Assert.Equal(parts - 2, _glacier.Server.RequestCount("UploadMultipartPart") - partsBefore); // parts 1 and 2 were kept
        Assert.Equal(1, _glacier.Server.RequestCount("ListParts"));
        AssertPartsCoverTheArchive(done);
        Assert.Equal(1, _glacier.Server.RequestCount("InitiateMultipartUpload"));
        await AssertRestoresAsync(runKey);
    }

    [Fact]
    public async Task The_next_backup_finishes_the_killed_upload_first_then_backs_up_again()
    {
        (string killedKey, _) = await KillWhileUploadingAsync();

        var (exit, output) = await CliAsync("backup", "--config", _configPath, "--file", _source, "--recursive");

        Assert.True(exit == ExitCodes.Success, output);
        var runs = await _world.Log.ListRunsAsync(CancellationToken.None);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, run => Assert.Equal(RunStatus.Succeeded, run.Value.Status));
        Assert.Equal(2, StoredArchives(_glacier, Vault).Count());
        await AssertRestoresAsync(killedKey);
    }

    /// <summary>Runs a backup in a child process, holds part 3 of its upload, and kills it once the archive is sealed in the spool.</summary>
    private async Task<(string RunKey, RunRecord Record)> KillWhileUploadingAsync()
    {
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 3, FaultKind.Slow, Delay: TimeSpan.FromMinutes(10)));
        using (var child = ChildCli.Start("backup", "--config", _configPath, "--file", _source, "--recursive"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!(await SealedRunAsync() is not null && _glacier.Server.RequestCount("UploadMultipartPart") >= 3))
            {
                Assert.False(child.HasExited, "the backup ended before it could be killed: " + child.Output);
                Assert.True(DateTime.UtcNow < deadline, "the backup never reached 'uploading': " + child.Output);
                await Task.Delay(100);
            }

            child.Kill();
        }

        _glacier.Server.ClearFaults();
        var (runKey, record) = (await SealedRunAsync())!.Value;
        Assert.Equal(RunStatus.Uploading, record.Status);
        Assert.True(File.Exists(record.BackendState["spool_path"]), "the spool outlives the process");
        Assert.Single(OpenUploads(_glacier, Vault));
        return (runKey, record);
    }

    private async Task<(string, RunRecord)?> SealedRunAsync()
    {
        var runs = await _world.Log.ListRunsAsync(CancellationToken.None);
        var sealedRun = runs.FirstOrDefault(r => r.Value.Status == RunStatus.Uploading);
        return sealedRun.Value is null ? null : (sealedRun.Key, sealedRun.Value);
    }

    /// <summary>The log lists every part: numbered from 1, contiguous, covering the archive, each with its tree hash.</summary>
    private static void AssertPartsCoverTheArchive(RunRecord record)
    {
        IReadOnlyList<UploadPartRecord> parts = record.UploadParts!;
        Assert.Equal((record.ArchiveSize!.Value + MiB - 1) / MiB, parts.Count);
        for (int i = 0; i < parts.Count; i++)
        {
            Assert.Equal((i + 1, (long)i * MiB), (parts[i].Part, parts[i].Start));
            Assert.Matches("^[0-9a-f]{64}$", parts[i].Checksum);
        }

        Assert.Equal(record.ArchiveSize, parts.Sum(p => p.Length));
    }

    private async Task AssertRestoresAsync(string runKey)
    {
        string target = _world.NewDirectory("restored-" + runKey);
        var (exit, output) = await CliAsync("restore", "--config", _configPath, "--run", runKey, "--private-key", _world.PrivateKeyPath, "--to", target);
        Assert.True(exit == ExitCodes.Success, output);
        TreeAssert.Identical(_source, target);
    }

    private static async Task<(int Exit, string Output)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliApp.InvokeAsync(args, output, error);
        return (exit, output + error.ToString());
    }
}
