using System.Text.Json;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Migration.Seed;

/// <summary>
/// A migrating user: the Python tool uploaded its archive to a Glacier vault (the local server) with one
/// UploadArchive request and logged it; AutoGlacier restores and verifies it through that log record.
/// </summary>
public sealed class SeedGlacierRestoreTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDir _dir = new();
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>The user's new configuration: the seed's JSON_DATABASE, their credentials; the vault comes from each run.</summary>
    private GteuConfig Config() => new()
    {
        Backend = "local",
        JsonDatabase = SeedPython.LogPath(_dir.Path),
        TmpDir = _dir.Combine("tmp"),
        EndpointUrl = _glacier.Endpoint,
        AwsAccessKeyId = LocalGlacierFixture.AccessKey,
        AwsSecretAccessKey = LocalGlacierFixture.SecretKey,
        RetrievalTier = "Expedited",
    };

    private Dictionary<string, string> Sources()
    {
        var big = new byte[1_500_000];
        new Random(5).NextBytes(big);
        return new Dictionary<string, string>
        {
            [_dir.Write("home/me/notes.txt", "notes from 2017\n")] = "notes from 2017\n",
            [_dir.Write("home/me/scripts/run.sh", "#!/bin/sh\necho hi\n")] = "#!/bin/sh\necho hi\n",
            [_dir.Write("home/me/big.bin", big)] = Convert.ToHexString(big),
        };
    }

    [Fact]
    public async Task A_seed_run_uploaded_with_UploadArchive_restores_through_its_log_record_and_the_record_stays_untouched()
    {
        if (!SeedPython.Available()) { return; }
        var sources = Sources();
        var (runKey, _) = SeedPython.Backup(_dir.Path, [_dir.Combine("home")], upload: _glacier);
        string seedRecord = RawRecord(runKey);
        string target = _dir.Combine("restored");

        var result = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = Config(),
            Selector = new RunSelector { RunKey = runKey },
            PrivateKeyPath = SeedPython.PrivateKey(_dir.Path),
            Passphrase = SeedPython.Passphrase,
            TargetDirectory = target,
        }, None);

        Assert.True(result.Problems.Count == 0, string.Join("; ", result.Problems));
        Assert.Equal(3, result.FilesVerified);
        foreach (var (path, content) in sources)
        {
            string restored = BackupWorld.Restored(target, path);
            Assert.Equal(content, path.EndsWith(".bin", StringComparison.Ordinal) ? Convert.ToHexString(File.ReadAllBytes(restored)) : File.ReadAllText(restored));
        }
        Assert.Equal(seedRecord, RawRecord(runKey));
        Assert.Empty(Directory.GetFiles(_dir.Combine("tmp"), "autoglacier-seed-*"));
    }

    [Fact]
    public async Task Verify_checks_the_tree_hash_without_a_key_and_every_sha512_with_it()
    {
        if (!SeedPython.Available()) { return; }
        Sources();
        var (runKey, _) = SeedPython.Backup(_dir.Path, [_dir.Combine("home")], upload: _glacier);
        var selector = new RunSelector { RunKey = runKey };

        var hashesOnly = await VerifyRunner.RunAsync(Config(), selector, null, null, NullLogger.Instance, None);
        var everything = await VerifyRunner.RunAsync(Config(), selector, SeedPython.PrivateKey(_dir.Path), SeedPython.Passphrase, NullLogger.Instance, None);

        Assert.Empty(hashesOnly.Problems);
        Assert.True(everything.Problems.Count == 0, string.Join("; ", everything.Problems));
        Assert.Equal(3, everything.FilesVerified);
    }

    [Fact]
    public async Task A_changed_file_hash_in_the_seed_log_is_reported_and_that_file_is_not_restored()
    {
        if (!SeedPython.Available()) { return; }
        Sources();
        var (runKey, _) = SeedPython.Backup(_dir.Path, [_dir.Combine("home")], upload: _glacier);
        string log = SeedPython.LogPath(_dir.Path);
        string notesHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData("notes from 2017\n"u8));
        File.WriteAllText(log, File.ReadAllText(log).Replace(notesHash, new string('0', 128), StringComparison.Ordinal));
        string target = _dir.Combine("restored");

        var result = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = Config(), Selector = new RunSelector { RunKey = runKey }, PrivateKeyPath = SeedPython.PrivateKey(_dir.Path),
            Passphrase = SeedPython.Passphrase, TargetDirectory = target,
        }, None);

        Assert.Contains(result.Problems, p => p.Contains("notes.txt", StringComparison.Ordinal) && p.Contains("SHA512", StringComparison.Ordinal));
        Assert.False(File.Exists(BackupWorld.Restored(target, _dir.Combine("home/me/notes.txt"))));
        Assert.Equal(2, result.FilesVerified);
    }

    [Fact]
    public async Task A_modified_seed_archive_named_by_id_with_seed_format_writes_nothing()
    {
        var archive = File.ReadAllBytes(Path.Combine(Tool.RepoRoot(), "tests", "AutoGlacier.Tests", "Migration", "Seed", "Fixtures", "seed-archive.tar.xz.enc"));
        archive[400] ^= 0x80;
        string archiveId;
        using (var vault = new GlacierVault(GlacierTestSettings.For(_glacier, "seedvault")))
        {
            await using var upload = await vault.BeginUploadAsync(new ArchiveUploadInfo("1", "tampered"), None);
            await upload.Content.WriteAsync(archive);
            archiveId = (await upload.CompleteAsync(None)).ArchiveId;
        }
        string target = _dir.Combine("restored");

        await Assert.ThrowsAsync<ArchiveIntegrityException>(() => RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = Config() with { VaultName = "seedvault" },
            Selector = new RunSelector { ArchiveId = archiveId, SeedFormat = true },
            PrivateKeyPath = Path.Combine(Tool.RepoRoot(), "tests", "AutoGlacier.Tests", "Migration", "Seed", "Fixtures", "seed-private.pem"),
            Passphrase = "seed fixture passphrase",
            TargetDirectory = target,
        }, None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Fact]
    public async Task The_cli_restores_a_seed_run_with_restore_run()
    {
        if (!SeedPython.Available()) { return; }
        var sources = Sources();
        var (runKey, _) = SeedPython.Backup(_dir.Path, [_dir.Combine("home")], upload: _glacier);
        var config = Config();
        string configFile = _dir.Write("config.json", JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["JSON_DATABASE"] = config.JsonDatabase, ["TMP_DIR"] = config.TmpDir, ["ENDPOINT_URL"] = config.EndpointUrl!,
            ["AWS_ACCESS_KEY_ID"] = config.AwsAccessKeyId!, ["AWS_SECRET_ACCESS_KEY"] = config.AwsSecretAccessKey!,
            ["RETRIEVAL_TIER"] = "Expedited", ["RSA_PASSPHRASE"] = SeedPython.Passphrase,
        }));
        string target = _dir.Combine("cli-restored");

        var (exit, output, error) = await CliRun.InvokeAsync("restore", "--config", configFile, "--run", runKey,
            "--private-key", SeedPython.PrivateKey(_dir.Path), "--to", target);

        Assert.True(exit == 0, output + error);
        Assert.Contains("3 files verified", output, StringComparison.Ordinal);
        Assert.Equal("notes from 2017\n", File.ReadAllText(BackupWorld.Restored(target, _dir.Combine("home/me/notes.txt"))));
        Assert.DoesNotContain(LocalGlacierFixture.SecretKey, output + error, StringComparison.Ordinal);
        Assert.Equal(sources.Count, Directory.GetFiles(target, "*", SearchOption.AllDirectories).Length);
    }

    private string RawRecord(string runKey)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(SeedPython.LogPath(_dir.Path)));
        return document.RootElement.GetProperty(runKey).GetRawText();
    }
}
