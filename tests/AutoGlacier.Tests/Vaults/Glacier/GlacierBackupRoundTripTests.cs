using System.Collections.Concurrent;
using AutoGlacier.Configuration;
using AutoGlacier.LocalGlacier;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>backup → restore through BackupRunner and RestoreRunner with BACKEND glacier against the local server.</summary>
public sealed class GlacierBackupRoundTripTests : IAsyncLifetime
{
    private const string WrongSecret = "wrong-secret-Pz7kLw3";
    private readonly BackupWorld _world = new("zstd");
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    private GteuConfig GlacierConfig(string secret = LocalGlacierFixture.SecretKey) => _world.Config with
    {
        Backend = "glacier",
        EndpointUrl = _glacier.Endpoint,
        VaultName = "roundtrip",
        AwsAccessKeyId = LocalGlacierFixture.AccessKey,
        AwsSecretAccessKey = secret,
        CreateVault = true,
        PartSizeMb = 1,
        UploadConcurrency = 3,
        RetrievalTier = "Expedited",
    };

    [Fact]
    public async Task Backup_and_restore_through_glacier_with_faults_are_byte_identical()
    {
        string source = _world.NewDirectory("source");
        byte[] big = RandomBytes((5 * MiB) + 321, seed: 1); // incompressible: a multipart archive
        File.WriteAllBytes(Path.Combine(source, "big.bin"), big);
        File.WriteAllText(Path.Combine(source, "note.txt"), "hello glacier");
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 2, FaultKind.Throttling));
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 4, FaultKind.DropConnection));
        _glacier.Server.AddFault(new FaultRule("CompleteMultipartUpload", 1, FaultKind.ServiceUnavailable));
        _glacier.Server.AddFault(new FaultRule("GetJobOutput", 3, FaultKind.DropConnection));

        BackupResult backup = await BackupRunner.RunAsync(Request(GlacierConfig(), source), CancellationToken.None);
        Assert.True(backup.ExitCode == ExitCodes.Success, backup.Error);
        Assert.True(backup.ArchiveSize > MiB);

        string target = _world.NewDirectory("restored");
        RestoreResult restore = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = GlacierConfig(),
            Selector = new RunSelector { RunKey = backup.RunKey },
            PrivateKeyPath = _world.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase,
            TargetDirectory = target,
        }, CancellationToken.None);

        Assert.True(restore.Problems.Count == 0, string.Join("; ", restore.Problems));
        Assert.Equal(backup.ArchiveId, restore.ArchiveId);
        Assert.Equal(big, File.ReadAllBytes(BackupWorld.Restored(target, Path.Combine(source, "big.bin"))));
        Assert.Equal("hello glacier", File.ReadAllText(BackupWorld.Restored(target, Path.Combine(source, "note.txt"))));
    }

    [Fact]
    public async Task A_backup_with_a_wrong_secret_fails_with_a_signature_error_and_the_secret_appears_nowhere()
    {
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");

        BackupResult backup = await BackupRunner.RunAsync(Request(GlacierConfig(WrongSecret), source), CancellationToken.None);

        Assert.NotEqual(ExitCodes.Success, backup.ExitCode);
        Assert.Contains("InvalidSignatureException", backup.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, backup.Error!, StringComparison.Ordinal);
        foreach (string file in Directory.EnumerateFiles(_world.Root, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(WrongSecret, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Progress_reports_the_parts_in_flight_while_a_slow_part_uploads()
    {
        string source = _world.NewDirectory("source");
        File.WriteAllBytes(Path.Combine(source, "big.bin"), RandomBytes((3 * MiB) + 5, seed: 2)); // incompressible: four 1 MiB parts
        // The first part takes 2.5 s: longer than the progress timer's 1 s, so a report must fall inside it.
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 1, FaultKind.Slow, Delay: TimeSpan.FromSeconds(2.5)));
        var reports = new ConcurrentQueue<BackupProgress>();

        BackupResult backup = await BackupRunner.RunAsync(Request(GlacierConfig(), source) with { Progress = new ReportTo(reports.Enqueue) },
            CancellationToken.None);

        Assert.True(backup.ExitCode == ExitCodes.Success, backup.Error);
        Assert.Contains(reports, r => r.PartsInFlight > 0);
        Assert.All(reports, r => Assert.InRange(r.PartsInFlight ?? 0, 0, GlacierConfig().UploadConcurrency!.Value));
        Assert.Equal(0, reports.Last(r => r.Phase == BackupPhase.Stored).PartsInFlight); // every part acknowledged
    }

    /// <summary>Reports on the reporting thread (the progress timer's or the backup's), unlike Progress&lt;T&gt;.</summary>
    private sealed class ReportTo(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }

    private static BackupRequest Request(GteuConfig config, string source) => new()
    {
        Config = () => config,
        Files = [source],
        RecurseDirectories = true,
        Description = "glacier round trip ✓",
        Logger = NullLogger.Instance,
    };
}
