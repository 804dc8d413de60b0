using System.Text.Json;
using AutoGlacier.Encryption;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.S3;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Tests.Snapshots;

/// <summary>
/// <c>restore --run</c> of a snapshot from cold S3 storage (s3rver behind the restore layer, which records every
/// <c>POST ?restore</c>): exactly the archives the plan needs are restored, each once, no other archive is requested
/// or downloaded, catalogs (STANDARD) are never restored, and the tree comes back as it was at that run.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class SnapshotS3RetrievalCountTests(S3Fixture fixture) : IDisposable
{
    private const int Runs = 5;
    private readonly BackupWorld _world = new("zstd");
    private string _source = "";
    private string _configPath = "";

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Restoring_the_third_of_five_incremental_runs_restores_the_archives_of_runs_one_to_three_once_each_and_nothing_else()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        var series = await FiveRunsAsync("incremental", S3StorageClasses.DeepArchive, proxy);
        for (var i = 1; i < Runs; i++) { Assert.Equal(("incremental", series[i - 1].RunKey), (series[i].Kind, series[i].Base)); }

        var restore = await RestoreAsync(series[2], proxy);

        string[] needed = [.. series.Take(3).Select(r => r.ObjectPath)];
        Assert.Equal(needed, restore.Planned.Select(ObjectPathOf));
        Assert.Equal(needed.Order(StringComparer.Ordinal), restore.RestoreRequests.Order(StringComparer.Ordinal)); // each exactly once
        Assert.Equal(needed.ToHashSet(), restore.ArchivesRead);
        Assert.DoesNotContain(proxy.Requests, r => r.IsRestore && series.Any(s => r.ObjectPath == s.CatalogObjectPath));
        AssertRestoredAsAt(series[2], restore.Target);
    }

    [Fact]
    public async Task An_archive_whose_every_entry_a_later_run_replaced_is_neither_restored_nor_read()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        var series = await FiveRunsAsync("incremental", S3StorageClasses.Glacier, proxy, changed: [1, 2, 2, 4, 5]); // run 3 changes file 2 again

        var restore = await RestoreAsync(series[2], proxy);

        string[] needed = [series[0].ObjectPath, series[2].ObjectPath];
        Assert.Equal(needed, restore.Planned.Select(ObjectPathOf));
        Assert.Equal(needed.Order(StringComparer.Ordinal), restore.RestoreRequests.Order(StringComparer.Ordinal));
        Assert.Equal(needed.ToHashSet(), restore.ArchivesRead);
        AssertRestoredAsAt(series[2], restore.Target);
    }

    [Fact]
    public async Task Restoring_any_of_five_differential_runs_needs_the_full_and_that_differential_only()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        var series = await FiveRunsAsync("differential", S3StorageClasses.Glacier, proxy);
        var full = series[0];
        for (var i = 1; i < Runs; i++) { Assert.Equal(("differential", full.RunKey), (series[i].Kind, series[i].Base)); }

        var everyRestoreRequest = new List<string>();
        foreach (var run in series)
        {
            var restore = await RestoreAsync(run, proxy);

            string[] needed = run.RunKey == full.RunKey ? [full.ObjectPath] : [full.ObjectPath, run.ObjectPath];
            Assert.Equal(needed, restore.Planned.Select(ObjectPathOf));
            Assert.Equal(needed.ToHashSet(), restore.ArchivesRead);
            Assert.All(restore.RestoreRequests, key => Assert.Contains(key, needed));
            everyRestoreRequest.AddRange(restore.RestoreRequests);
            AssertRestoredAsAt(run, restore.Target);
        }

        // The full's restore, requested by the first restore, is reused by the others (its run records it): one each.
        Assert.Equal(series.Select(r => r.ObjectPath).Order(StringComparer.Ordinal), everyRestoreRequest.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(proxy.Requests, r => r.IsRestore && series.Any(s => r.ObjectPath == s.CatalogObjectPath));
    }

    [Fact]
    public async Task A_wrong_passphrase_fails_before_any_archive_is_requested_or_read()
    {
        // The key is unlocked while the catalogs are read and the restore is planned; it must still be awaited before
        // anything is asked of cold storage, or a typo would cost a retrieval.
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        var series = await FiveRunsAsync("incremental", S3StorageClasses.DeepArchive, proxy);
        var seenBefore = proxy.Requests.Count;
        var target = _world.NewDirectory("restored-wrong-passphrase");
        var request = new RestoreRequest
        {
            Config = _world.Config, Selector = new RunSelector { RunKey = series[2].RunKey }, PrivateKeyPath = _world.PrivateKeyPath,
            Passphrase = "not the passphrase", TargetDirectory = target,
        };

        await Assert.ThrowsAsync<WrongPassphraseException>(() => RestoreRunner.RunAsync(request, CancellationToken.None));

        var seen = proxy.Requests.Skip(seenBefore).ToList();
        Assert.DoesNotContain(seen, r => r.IsRestore);
        Assert.DoesNotContain(seen, r => r.Method == "GET" && r.Query.Length == 0);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    /// <summary>One run of the series: its keys, what it built on, and the tree as it was when it ran.</summary>
    private sealed record Run(string RunKey, string ObjectPath, string CatalogObjectPath, string Kind, string? Base,
        SortedDictionary<string, TreeSnapshot.Node> Tree);

    /// <summary>What one restore did: its printed plan, the objects it asked S3 to restore and the archives it downloaded.</summary>
    private sealed record Restore(string Target, IReadOnlyList<string> Planned, IReadOnlyList<string> RestoreRequests, IReadOnlySet<string> ArchivesRead);

    /// <summary>
    /// Five runs of one series; before run k (k ≥ 2) file <c>changed[k - 1]</c> alone changes (by default file k, so each
    /// run stores a different file).
    /// </summary>
    private async Task<List<Run>> FiveRunsAsync(string mode, string storageClass, S3RestoreProxy proxy, int[]? changed = null)
    {
        changed ??= [1, 2, 3, 4, 5];
        _world.Config = S3TestData.WithS3(_world.Config, fixture.Config(storageClass, proxy.Endpoint)) with { BackupMode = mode };
        _configPath = S3TestData.WriteConfigFile(_world, _world.Config);
        _source = _world.NewDirectory("source");
        Directory.CreateDirectory(Path.Combine(_source, "sub"));
        for (var k = 1; k <= Runs; k++) { Write(k, version: 1); }

        var runs = new List<Run>();
        for (var k = 1; k <= Runs; k++)
        {
            if (k > 1) { Write(changed[k - 1], version: k); }
            var tree = TreeSnapshot.Capture(_source);
            var result = await _world.BackupAsync([_source]);
            Assert.True(result.ExitCode == 0, result.Error);
            // The full: the files and both directories; an incremental: the file changed since the last run; a differential:
            // the files changed since the full.
            Assert.Equal(k == 1 ? Runs + 2 : mode == "differential" ? changed[1..k].Distinct().Count() : 1, result.FilesStored);
            var snapshot = (await _world.Log.GetRunAsync(result.RunKey!, CancellationToken.None))!.Snapshot!;
            runs.Add(new Run(result.RunKey!, ObjectPathOf(result.ArchiveId!), ObjectPathOf(snapshot.CatalogArchiveId!), snapshot.Kind, snapshot.Base, tree));
        }
        Assert.Equal("full", runs[0].Kind);
        return runs;
    }

    /// <summary>File k (k = 5 in a subdirectory), its content and mtime set by <paramref name="version"/>.</summary>
    private void Write(int k, int version)
    {
        var path = Path.Combine(_source, k == Runs ? "sub" : "", $"file-{k}.bin");
        File.WriteAllBytes(path, S3TestData.RandomBytes(20_000 + 1_000 * k + version, seed: 100 * k + version));
        File.SetLastWriteTimeUtc(path, new DateTime(2024, 1, k, 0, 0, 0, DateTimeKind.Utc).AddMinutes(version));
    }

    /// <summary>restore --run through the command line, as a user runs it against cold storage, waiting for the restores.</summary>
    private async Task<Restore> RestoreAsync(Run run, S3RestoreProxy proxy)
    {
        var seenBefore = proxy.Requests.Count;
        var target = _world.NewDirectory("restored-" + run.RunKey);

        var (exit, output, error) = await CliRun.InvokeAsync("restore", "--config", _configPath, "--private-key", _world.PrivateKeyPath,
            "--run", run.RunKey, "--to", target, "--poll-interval", "100ms", "--json");

        Assert.True(exit == 0, error + output);
        using var json = JsonDocument.Parse(output);
        var planned = json.RootElement.GetProperty("plan").EnumerateArray().Select(a => a.GetProperty("archive_id").GetString()!).ToList();
        var seen = proxy.Requests.Skip(seenBefore).ToList();
        var read = seen.Where(r => r.Method == "GET" && r.Query.Length == 0).Select(r => r.ObjectPath).ToHashSet();
        return new Restore(target, planned, [.. seen.Where(r => r.IsRestore).Select(r => r.ObjectPath)], read);
    }

    private void AssertRestoredAsAt(Run run, string target)
    {
        var differences = TreeSnapshot.Differences(run.Tree, TreeSnapshot.Capture(BackupWorld.Restored(target, _source)));
        Assert.True(differences.Length == 0, $"restore of run {run.RunKey}:\n{differences}");
    }

    private static string ObjectPathOf(string key) => $"/{S3rverServer.Bucket}/{key}";
}
