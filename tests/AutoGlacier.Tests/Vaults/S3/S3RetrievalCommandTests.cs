using Amazon.S3;
using Amazon.S3.Model;
using AutoGlacier.Configuration;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>
/// restore, verify, delete and inventory through the command line with BACKEND s3, against s3rver behind the
/// restore layer: waiting for a restore, --tier/--days, --no-wait, the DEEP_ARCHIVE/Expedited refusal, the
/// early-deletion warning of each storage class, and an inventory that spans more than one ListObjectsV2 page.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class S3RetrievalCommandTests(S3Fixture fixture) : IDisposable
{
    private readonly BackupWorld _world = new("zstd");

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Restore_of_a_deep_archive_run_waits_for_the_restore_requested_with_the_given_tier_and_days()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        proxy.RestoreDelay = TimeSpan.FromSeconds(2);
        (string configPath, BackupResult backup, string source) = await BackUpAsync(fixture.Config(S3StorageClasses.DeepArchive, proxy.Endpoint));
        string target = _world.NewDirectory("restored");

        var (exit, output, error) = await CliRun.InvokeAsync("restore", "--config", configPath, "--private-key", _world.PrivateKeyPath, "--run", backup.RunKey!,
            "--to", target, "--tier", "bulk", "--days", "3", "--poll-interval", "100ms");

        Assert.True(exit == ExitCodes.Success, error + output);
        TreeAssert.Identical(source, target);
        Assert.Equal(("Bulk", "3"), proxy.Restores[ObjectPath(backup)]);
        Assert.Equal(1, proxy.Count(r => r.IsRestore));
        var state = (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!.BackendState;
        Assert.Equal("Bulk", state["retrieval_tier"]);
        Assert.StartsWith("s3-restore;tier=Bulk;days=3;", state["retrieval_token"], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(state["retrieval_requested_at"], out _), state["retrieval_requested_at"]);
    }

    [Fact]
    public async Task Expedited_for_a_deep_archive_run_is_a_usage_error_and_nothing_is_requested()
    {
        (string configPath, BackupResult backup, _) = await BackUpAsync(fixture.Config(S3StorageClasses.DeepArchive));

        var restore = await CliRun.InvokeAsync("restore", "--config", configPath, "--private-key", _world.PrivateKeyPath, "--run", backup.RunKey!,
            "--to", _world.NewDirectory("restored"), "--tier", "Expedited");
        var verify = await CliRun.InvokeAsync("verify", "--config", configPath, "--run", backup.RunKey!, "--tier", "EXPEDITED", "--no-wait");

        foreach (var (exit, _, error) in new[] { restore, verify })
        {
            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Contains("DEEP_ARCHIVE, which has no Expedited restore tier", error, StringComparison.Ordinal);
            Assert.Contains("Standard", error, StringComparison.Ordinal);
        }

        Assert.False(fixture.Proxy.Restores.ContainsKey(ObjectPath(backup)));
        Assert.False((await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!.BackendState.ContainsKey("retrieval_token"));
    }

    [Fact]
    public async Task Verify_with_no_wait_requests_the_restore_exits_pending_and_the_next_verify_reuses_it()
    {
        (string configPath, BackupResult backup, _) = await BackUpAsync(fixture.Config(S3StorageClasses.Glacier));

        var (exit, _, error) = await CliRun.InvokeAsync("verify", "--config", configPath, "--run", backup.RunKey!, "--no-wait", "--tier", "expedited", "--days", "2");

        Assert.Equal(ExitCodes.Pending, exit);
        Assert.Contains("requested (Expedited tier, 2 days)", error, StringComparison.Ordinal);
        Assert.Equal(("Expedited", "2"), fixture.Proxy.Restores[ObjectPath(backup)]);
        Assert.Equal("Expedited", (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!.BackendState["retrieval_tier"]);

        (exit, string output, error) = await CliRun.InvokeAsync("verify", "--config", configPath, "--run", backup.RunKey!, "--poll-interval", "100ms");

        Assert.True(exit == ExitCodes.Success, error + output);
        Assert.Contains($"Verified run {backup.RunKey}", output, StringComparison.Ordinal);
        Assert.Equal(1, fixture.Proxy.Count(r => r.IsRestore && r.ObjectPath == ObjectPath(backup)));
    }

    [Theory]
    [InlineData(S3StorageClasses.DeepArchive, "S3 DEEP_ARCHIVE bills objects deleted before 180 days")]
    [InlineData(S3StorageClasses.Glacier, "S3 GLACIER bills objects deleted before 90 days")]
    [InlineData(S3StorageClasses.StandardInfrequentAccess, "S3 STANDARD_IA bills objects deleted before 30 days")]
    [InlineData(S3StorageClasses.Standard, null)]
    public async Task Delete_warns_with_the_minimum_duration_of_the_runs_storage_class(string storageClass, string? warning)
    {
        (string configPath, BackupResult backup, _) = await BackUpAsync(fixture.Config(storageClass));

        var (exit, output, error) = await CliRun.InvokeAsync("delete", "--config", configPath, "--run", backup.RunKey!);

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains($"Deleted archive {backup.ArchiveId}", output, StringComparison.Ordinal);
        if (warning is null)
        {
            Assert.DoesNotContain("warning", error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("warning: " + "The archive was 0 days old: " + warning, error, StringComparison.Ordinal);
        }

        await using S3Vault vault = S3TestData.Vault(ConfigLoader.LoadFile(configPath));
        await Assert.ThrowsAsync<AutoGlacier.Vaults.ArchiveNotFoundException>(() => vault.DeleteAsync(backup.ArchiveId!, CancellationToken.None));
    }

    [Fact]
    public async Task Inventory_pages_through_the_prefix_and_reports_objects_unknown_to_the_log_and_runs_missing_from_it()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        GteuConfig s3 = fixture.Config(S3StorageClasses.Standard, proxy.Endpoint);
        (string configPath, BackupResult kept, string source) = await BackUpAsync(s3);
        BackupResult lost = await _world.BackupAsync([source]);
        Assert.True(lost.ExitCode == ExitCodes.Success, lost.Error);
        await using (S3Vault vault = S3TestData.Vault(_world.Config))
        {
            await vault.DeleteAsync(lost.ArchiveId!, CancellationToken.None); // behind the log's back
        }

        // More objects than one ListObjectsV2 page (1,000 keys), written straight to s3rver.
        const int Foreign = 1001;
        using (AmazonS3Client direct = S3ClientFactory.Create(s3 with { EndpointUrl = fixture.Server.Endpoint.ToString() }))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Foreign), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                await direct.PutObjectAsync(new PutObjectRequest { BucketName = s3.S3Bucket, Key = $"{s3.S3Prefix}foreign-{i:D4}", ContentBody = "x" }, ct));
        }

        var (exit, output, error) = await CliRun.InvokeAsync("inventory", "--config", configPath);

        Assert.True(exit == ExitCodes.Error, error + output);
        Assert.True(output.Contains($"missing from the vault: run {lost.RunKey} archive {lost.ArchiveId}", StringComparison.Ordinal), error + output);
        Assert.DoesNotContain(kept.ArchiveId!, output, StringComparison.Ordinal);
        Assert.Equal(Foreign, output.Split('\n').Count(line => line.StartsWith($"unknown to the log: archive {s3.S3Prefix}foreign-", StringComparison.Ordinal)));
        Assert.Single(output.Split('\n'), line => line.Contains($"{s3.S3Prefix}foreign-1000 ", StringComparison.Ordinal)); // the second page's key
        Assert.Contains($"{Foreign + 3} archive(s) in the vault", output, StringComparison.Ordinal); // + the kept archive and both runs' catalogs
        Assert.Equal(2, proxy.Count(r => r.Method == "GET" && r.Query.Contains("list-type=2", StringComparison.Ordinal)));
    }

    private async Task<(string ConfigPath, BackupResult Backup, string Source)> BackUpAsync(GteuConfig s3)
    {
        _world.Config = S3TestData.WithS3(_world.Config, s3);
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "s3 bytes");
        File.WriteAllBytes(Path.Combine(source, "b.bin"), S3TestData.RandomBytes(70_000, seed: 5));
        BackupResult backup = await _world.BackupAsync([source]);
        Assert.True(backup.ExitCode == ExitCodes.Success, backup.Error);
        return (S3TestData.WriteConfigFile(_world, _world.Config), backup, source);
    }

    private static string ObjectPath(BackupResult backup) => $"/{S3rverServer.Bucket}/{backup.ArchiveId}";
}
