using System.Globalization;
using AutoGlacier.Log;
using AutoGlacier.Restore;
using AutoGlacier.Snapshots;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults;
using AutoGlacier.Vaults.Local;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Restore;

/// <summary>
/// restore/verify --run of a snapshot run: the complete file set from the archives of its chain (real backups,
/// real local vault, catalogs through the catalog API), checked with sha256sum and stat.
/// </summary>
public sealed class SnapshotRestoreTests : IDisposable
{
    private readonly SnapshotChainFixture _chain = new();

    public void Dispose() => _chain.Dispose();

    private string Restored(string root, string relative) => BackupWorld.Restored(root, _chain.Path(relative));

    [Fact]
    public async Task Restoring_a_three_run_snapshot_reproduces_its_complete_file_set_from_all_three_archives()
    {
        await _chain.BuildAsync();
        var target = _chain.World.NewDirectory("restored");

        var result = await _chain.World.RestoreAsync(new RunSelector { RunKey = _chain.Runs[2] }, target);

        Assert.True(result.ExitCode == 0, string.Join("; ", result.Problems));
        Assert.Equal(_chain.Archives, result.Plan.Select(a => a.ArchiveId));
        Assert.Equal(_chain.Runs, result.Plan.Select(a => a.RunKey));
        Assert.Equal(5, result.FilesVerified); // b, e, sub/c, sub/d, sub/f
        TreeAssert.Identical(_chain.Source, target);
        Assert.False(File.Exists(Restored(target, "a.txt")), "a.txt was removed before run 2 and must not be restored");
        Assert.Empty(Directory.EnumerateFiles(target, ".agpart-*", SearchOption.AllDirectories));
        AssertSha256sum(target, _chain.ExpectedFileHashes());
        foreach (var path in new[] { "e.txt", "b.txt", "sub", "" })
        {
            Assert.Equal(Stat(_chain.Path(path)), Stat(Restored(target, path)));
        }
        Assert.StartsWith("600 ", Stat(Restored(target, "e.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_archive_holding_a_metadata_only_change_has_the_old_mode_so_the_restored_mode_came_from_the_catalog()
    {
        await _chain.BuildAsync();
        var single = _chain.World.NewDirectory("single");

        var result = await _chain.World.RestoreAsync(new RunSelector { ArchiveId = _chain.Archives[0] }, single);

        Assert.True(result.ExitCode == 0, string.Join("; ", result.Problems));
        Assert.Empty(result.Plan); // --archive reads one archive, as before snapshots
        Assert.StartsWith("644 ", Stat(Restored(single, "e.txt")), StringComparison.Ordinal);
        Assert.Equal("alpha, deleted after run 1", File.ReadAllText(Restored(single, "a.txt")));
    }

    [Fact]
    public async Task Verify_run_checks_every_file_of_the_snapshot_across_the_chain_and_without_a_key_every_archive()
    {
        await _chain.BuildAsync();

        var withKey = await VerifyAsync(BackupWorld.Passphrase);
        var withoutKey = await VerifyRunner.RunAsync(_chain.World.Config, new RunSelector { RunKey = _chain.Runs[2] }, null, null,
            NullLogger.Instance, CancellationToken.None);

        Assert.True(withKey.ExitCode == 0, string.Join("; ", withKey.Problems));
        Assert.Equal((5, 3), (withKey.FilesVerified, withKey.Plan.Count));
        var fileBytes = _chain.ExpectedFileHashes().Keys.Sum(relative => new FileInfo(_chain.Path(relative)).Length);
        Assert.Equal((fileBytes, fileBytes), (withKey.Plan.Sum(a => a.Bytes), withKey.Bytes));
        Assert.True(withoutKey.ExitCode == 0, string.Join("; ", withoutKey.Problems));
        Assert.Equal((0, 3), (withoutKey.FilesVerified, withoutKey.Plan.Count));
    }

    [Fact]
    public async Task Verify_without_a_key_finds_a_damaged_archive_of_the_chain()
    {
        await _chain.BuildAsync();
        var archive = _chain.World.ArchiveFile(_chain.Archives[1]);
        var bytes = File.ReadAllBytes(archive);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(archive, bytes);

        var result = await VerifyRunner.RunAsync(_chain.World.Config, new RunSelector { RunKey = _chain.Runs[2] }, null, null,
            NullLogger.Instance, CancellationToken.None);

        Assert.Equal(2, result.Problems.Count);
        Assert.Contains($"archive {_chain.Archives[1]} has SHA-256", result.Problems[0], StringComparison.Ordinal);
        Assert.Contains($"archive {_chain.Archives[1]} has tree hash", result.Problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Include_narrowing_to_one_archive_plans_and_reads_only_that_archive()
    {
        await _chain.BuildAsync();
        var vault = new CountingVault(new LocalVault(_chain.World.Config.LocalVaultDir));
        var target = _chain.World.NewDirectory("narrow");

        var result = await RestoreRunner.RunAsync(Request(target, vault) with { Include = ["**/sub/c.txt"] }, CancellationToken.None);

        Assert.True(result.ExitCode == 0, string.Join("; ", result.Problems));
        var only = Assert.Single(result.Plan);
        Assert.Equal((_chain.Runs[1], _chain.Archives[1], 1L, 1L), (only.RunKey, only.ArchiveId, only.Entries, only.Files));
        Assert.Equal([_chain.Archives[1]], vault.ReadArchiveIds);
        Assert.Equal(1, vault.Retrievals);
        Assert.Equal("charlie, new in run 2", File.ReadAllText(Restored(target, "sub/c.txt")));
        Assert.Equal([Restored(target, "sub/c.txt")], Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_entry_the_plan_expects_but_its_archive_lacks_is_a_reported_problem_and_the_rest_is_restored()
    {
        _chain.Extra = index => index != 2 ? [] :
        [
            new CatalogEntry
            {
                Path = _chain.Path("sub/ghost.txt"), Type = EntryType.File, Size = 5, MtimeNs = 0, Mode = 420,
                Sha256 = new string('0', 64), Run = _chain.Runs[2], Archive = _chain.Archives[2],
            },
        ];
        await _chain.BuildAsync();
        var target = _chain.World.NewDirectory("restored");

        var restore = await _chain.World.RestoreAsync(new RunSelector { RunKey = _chain.Runs[2] }, target);
        var verify = await VerifyAsync(BackupWorld.Passphrase);

        foreach (var result in new[] { restore, verify })
        {
            var problem = Assert.Single(result.Problems);
            Assert.Contains("sub/ghost.txt", problem, StringComparison.Ordinal);
            Assert.Contains($"archive {_chain.Archives[2]} of run {_chain.Runs[2]}", problem, StringComparison.Ordinal);
            Assert.Contains("has no such entry", problem, StringComparison.Ordinal);
            Assert.Equal(1, result.ExitCode);
        }
        TreeAssert.Identical(_chain.Source, target);
    }

    [Fact]
    public async Task A_file_whose_content_differs_from_its_catalog_sha256_is_reported_by_verify_and_not_restored()
    {
        var wrong = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("not charlie"u8));
        _chain.Edit = (index, entry) => index == 1 && entry.Path.EndsWith("/sub/c.txt", StringComparison.Ordinal) ? entry with { Sha256 = wrong } : entry;
        await _chain.BuildAsync();
        var target = _chain.World.NewDirectory("restored");

        var restore = await _chain.World.RestoreAsync(new RunSelector { RunKey = _chain.Runs[2] }, target);
        var verify = await VerifyAsync(BackupWorld.Passphrase);

        Assert.Contains(wrong, Assert.Single(restore.Problems), StringComparison.Ordinal);
        Assert.False(File.Exists(Restored(target, "sub/c.txt")), "a file failing its SHA-256 must not appear under its name");
        Assert.Empty(Directory.EnumerateFiles(target, ".agpart-*", SearchOption.AllDirectories));
        var problem = Assert.Single(verify.Problems);
        Assert.Contains($"snapshot {_chain.Runs[2]}'s catalog says {wrong}", problem, StringComparison.Ordinal);
        Assert.Equal(4, verify.FilesVerified);
    }

    [Fact]
    public async Task Progress_reports_the_plan_before_anything_is_read_then_each_archive_extracting_and_done()
    {
        await _chain.BuildAsync();
        var reports = new List<RestoreProgress>();
        var vault = new CountingVault(new LocalVault(_chain.World.Config.LocalVaultDir));
        var progress = new SynchronousProgress(p =>
        {
            if (p.Phase == RestorePhase.Planned) { Assert.Equal((0, 0), (vault.Retrievals, vault.Reads)); }
            reports.Add(p);
        });

        var result = await RestoreRunner.RunAsync(Request(_chain.World.NewDirectory("restored"), vault) with { Progress = progress }, CancellationToken.None);

        Assert.True(result.ExitCode == 0, string.Join("; ", result.Problems));
        var plan = reports[0];
        Assert.Equal(RestorePhase.Planned, plan.Phase);
        Assert.Equal(_chain.Archives, plan.Archives!.Select(a => a.Archive.ArchiveId));
        Assert.All(plan.Archives!, a => Assert.Equal(ArchivePhase.Planned, a.Phase));
        Assert.Equal(result.EntriesProcessed, plan.EntriesTotal);
        foreach (var archive in _chain.Archives)
        {
            Assert.Contains(reports, r => r.Archives!.Any(a => a.Archive.ArchiveId == archive && a.Phase == ArchivePhase.Extracting));
        }
        var last = reports[^1];
        Assert.Equal(RestorePhase.Done, last.Phase);
        Assert.All(last.Archives!, a => Assert.Equal((ArchivePhase.Done, a.Archive.Entries), (a.Phase, a.EntriesDone)));
        Assert.Equal(last.Archives!.Sum(a => a.Archive.ArchiveSize), last.ArchiveBytesRead);
    }

    [Fact]
    public async Task A_base_logged_before_snapshots_gets_its_catalog_from_its_file_list_and_the_snapshot_restores()
    {
        _chain.LegacyBase = true;
        await _chain.BuildAsync();
        var legacyCatalog = LocalCatalogFile.PathFor(_chain.World.Config.JsonDatabase, _chain.Runs[0]);
        Assert.False(File.Exists(legacyCatalog));
        var target = _chain.World.NewDirectory("restored");

        var result = await _chain.World.RestoreAsync(new RunSelector { RunKey = _chain.Runs[2] }, target);

        Assert.True(result.ExitCode == 0, string.Join("; ", result.Problems));
        Assert.True(File.Exists(legacyCatalog));
        Assert.Equal(_chain.Archives, result.Plan.Select(a => a.ArchiveId));
        TreeAssert.Identical(_chain.Source, target);
    }

    [Fact]
    public async Task A_deleted_archive_in_the_chain_stops_the_restore_before_anything_is_requested()
    {
        await _chain.BuildAsync();
        var record = (await _chain.World.Log.GetRunAsync(_chain.Runs[0], CancellationToken.None))!;
        await _chain.World.Log.UpdateRunAsync(_chain.Runs[0], record with
        {
            BackendState = new Dictionary<string, string>(record.BackendState) { [RunDeletion.DeletedAtKey] = "2026-12-01T00:00:00Z" },
        }, CancellationToken.None);
        var vault = new CountingVault(new LocalVault(_chain.World.Config.LocalVaultDir));

        var error = await Assert.ThrowsAsync<AutoGlacierException>(() => RestoreRunner.RunAsync(Request(_chain.World.NewDirectory("restored"), vault), CancellationToken.None));

        Assert.Contains($"archive {_chain.Archives[0]} of run {_chain.Runs[0]}, which was deleted", error.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (vault.Retrievals, vault.Reads));
    }

    private Task<RestoreResult> VerifyAsync(string passphrase) =>
        VerifyRunner.RunAsync(_chain.World.Config, new RunSelector { RunKey = _chain.Runs[2] }, _chain.World.PrivateKeyPath, passphrase,
            NullLogger.Instance, CancellationToken.None);

    private RestoreRequest Request(string target, AutoGlacier.Vaults.IVault vault) => new()
    {
        Config = _chain.World.Config,
        Selector = new RunSelector { RunKey = _chain.Runs[2] },
        PrivateKeyPath = _chain.World.PrivateKeyPath,
        Passphrase = BackupWorld.Passphrase,
        TargetDirectory = target,
        Vault = vault,
    };

    /// <summary>Mode (octal) and mtime (s.ns) by stat(1).</summary>
    private static string Stat(string path)
    {
        var (exit, stdout, stderr) = Tool.Run("stat", ["-c", "%a %.Y", path]);
        Assert.True(exit == 0, stderr);
        var text = System.Text.Encoding.UTF8.GetString(stdout).Trim();
        // The file APIs set mtimes to 100 ns: compare at that resolution.
        var parts = text.Split(' ');
        // Truncated, as the restore truncates: rounding would move a time ending in ...99995 ns up a digit.
        return parts[0] + " " + (decimal.Truncate(decimal.Parse(parts[1], CultureInfo.InvariantCulture) * 10_000_000m) / 10_000_000m).ToString(CultureInfo.InvariantCulture);
    }

    private void AssertSha256sum(string target, Dictionary<string, string> expected)
    {
        var files = expected.Keys.Select(relative => Restored(target, relative)).ToList();
        var (exit, stdout, stderr) = Tool.Run("sha256sum", files);
        Assert.True(exit == 0, stderr);
        var sums = System.Text.Encoding.UTF8.GetString(stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split("  ", 2)).ToDictionary(p => p[1], p => p[0]);
        foreach (var (relative, hash) in expected) { Assert.Equal((relative, hash), (relative, sums[Restored(target, relative)])); }
    }
}

/// <summary>An IProgress that calls back on the reporting thread (Progress&lt;T&gt; would post, reordering reports).</summary>
internal sealed class SynchronousProgress(Action<RestoreProgress> onReport) : IProgress<RestoreProgress>
{
    private readonly Lock _lock = new();

    public void Report(RestoreProgress value)
    {
        lock (_lock) { onReport(value); }
    }
}
