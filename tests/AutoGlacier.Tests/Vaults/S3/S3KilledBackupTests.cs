using Amazon.S3;
using Amazon.S3.Model;
using AutoGlacier.Cli;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults.S3;
using static AutoGlacier.Tests.Vaults.S3.S3TestData;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>
/// BACKEND s3: the backup process is killed (SIGKILL) while its upload is half done; <c>autoglacier resume</c> finishes
/// it from the spool. With ListParts (answered by the restore layer, since s3rver lacks it) only the missing parts are
/// sent; without it (s3rver's 405) every part is sent again; either way every byte restores.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class S3KilledBackupTests(S3Fixture fixture) : IAsyncLifetime
{
    private const int PartSizeMb = 5;
    private readonly BackupWorld _world = new("zstd");
    private S3RestoreProxy _proxy = null!;
    private string _configPath = null!;
    private string _source = null!;

    public async Task InitializeAsync()
    {
        _proxy = await fixture.StartProxyAsync();
        _configPath = Path.Combine(_world.Root, "s3.json");
        File.WriteAllText(_configPath, $$"""
            {
              "BACKEND": "s3", "ENDPOINT_URL": "{{_proxy.Endpoint}}", "REGION_NAME": "us-east-1",
              "S3_BUCKET": "{{S3rverServer.Bucket}}", "S3_PREFIX": "{{S3Fixture.NewPrefix()}}", "S3_STORAGE_CLASS": "{{S3StorageClasses.Standard}}",
              "AWS_ACCESS_KEY_ID": "{{S3rverServer.AccessKey}}", "AWS_SECRET_ACCESS_KEY": "{{S3rverServer.SecretKey}}",
              "PART_SIZE_MB": {{PartSizeMb}}, "UPLOAD_CONCURRENCY": 1, "COMPRESSION": "zstd",
              "TMP_DIR": "{{_world.Config.TmpDir}}", "JSON_DATABASE": "{{_world.Config.JsonDatabase}}",
              "PUBL_RSA_KEY_PATH": "{{_world.PublicKeyPath}}", "RSA_PASSPHRASE": "{{BackupWorld.Passphrase}}"
            }
            """);
        _source = _world.NewDirectory("source");
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllBytes(Path.Combine(_source, $"random-{i}.bin"), RandomBytes(6 * MiB, seed: 100 + i)); // incompressible: 4 parts of 5 MiB
        }
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _world.Dispose();
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1)] // one part per ListParts page: the backend follows NextPartNumberMarker
    public async Task Resume_after_a_kill_sends_only_the_missing_parts_and_the_backup_restores(int pageSize)
    {
        _proxy.ListPartsPageSize = pageSize;
        (string runKey, RunRecord killed, byte[] spool) = await KillWhileUploadingAsync();
        string uploadId = killed.BackendState["upload_id"];
        Assert.Equal([1, 2], _proxy.PartsOf(uploadId).Select(p => p.PartNumber)); // part 3 was held when the process died
        int partsBefore = _proxy.Count(r => r.IsUploadPart);

        var (exit, output) = await CliAsync("resume", "--config", _configPath);

        Assert.True(exit == ExitCodes.Success, output);
        Assert.Contains($"{runKey}: resumed: stored as", output, StringComparison.Ordinal);
        RunRecord done = await AssertSucceededAsync(runKey, killed, spool);
        long parts = (done.ArchiveSize!.Value + (PartSizeMb * MiB) - 1) / (PartSizeMb * MiB);
        Assert.Equal(4, parts);
        Assert.Equal(parts - 2, _proxy.Count(r => r.IsUploadPart) - partsBefore); // parts 1 and 2 were kept
        Assert.Equal(pageSize == 1 ? 2 : 1, _proxy.Count(r => r.IsListParts)); // page size 1: [1] truncated, then [2]
        Assert.Equal(1, _proxy.Count(r => IsInitiate(r)));
        await AssertRestoresAsync(runKey);
    }

    [Fact]
    public async Task Without_list_parts_resume_sends_every_part_again_and_the_backup_restores()
    {
        _proxy.ImplementListParts = false; // s3rver answers ListParts with 405 MethodNotAllowed
        (string runKey, RunRecord killed, byte[] spool) = await KillWhileUploadingAsync();
        int partsBefore = _proxy.Count(r => r.IsUploadPart);

        var (exit, output) = await CliAsync("resume", "--config", _configPath);

        Assert.True(exit == ExitCodes.Success, output);
        Assert.Contains($"{runKey}: resumed: stored as", output, StringComparison.Ordinal);
        RunRecord done = await AssertSucceededAsync(runKey, killed, spool);
        long parts = (done.ArchiveSize!.Value + (PartSizeMb * MiB) - 1) / (PartSizeMb * MiB);
        Assert.Equal(parts, _proxy.Count(r => r.IsUploadPart) - partsBefore);
        Assert.Equal(1, _proxy.Count(r => r.IsListParts));
        Assert.Equal(1, _proxy.Count(r => IsInitiate(r))); // the same upload, completed
        await AssertRestoresAsync(runKey);
    }

    [Fact]
    public async Task The_proxys_list_parts_pages_by_marker_and_refuses_unknown_uploads()
    {
        _proxy.ListPartsPageSize = 2;
        var config = fixture.Config(S3StorageClasses.Standard, _proxy.Endpoint);
        using var s3 = S3ClientFactory.Create(config);
        string key = config.S3Prefix + "listed";
        string uploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = config.S3Bucket, Key = key, ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        })).UploadId;
        Assert.Empty((await ListAsync(s3, config.S3Bucket!, key, uploadId, marker: null)).Parts ?? []);

        var sent = new List<(int Number, long Size, string Checksum, string ETag)>();
        foreach (int number in new[] { 1, 2, 3, 5, 6 })
        {
            byte[] data = RandomBytes(number == 6 ? 1234 : 5 * MiB, seed: number);
            UploadPartResponse response = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = config.S3Bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = new MemoryStream(data),
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256, UseChunkEncoding = false,
            });
            sent.Add((number, data.Length, Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(data)), response.ETag));
        }

        var listed = new List<PartDetail>();
        var markers = new List<int?>();
        string? marker = null;
        do
        {
            ListPartsResponse page = await ListAsync(s3, config.S3Bucket!, key, uploadId, marker);
            Assert.Equal(2, page.MaxParts);
            Assert.True((page.Parts?.Count ?? 0) <= 2);
            listed.AddRange(page.Parts ?? []);
            markers.Add(page.NextPartNumberMarker);
            marker = page.IsTruncated == true ? page.NextPartNumberMarker!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        while (marker is not null);

        Assert.Equal([2, 5, 6], markers);
        Assert.Equal(sent.Select(p => p.Number), listed.Select(p => p.PartNumber!.Value));
        Assert.Equal(sent.Select(p => p.Size), listed.Select(p => p.Size!.Value));
        Assert.Equal(sent.Select(p => p.ETag), listed.Select(p => p.ETag));
        Assert.Equal(sent.Select(p => p.Checksum), listed.Select(p => p.ChecksumSHA256)); // the x-amz-checksum-sha256 each part was sent with
        var page2 = await s3.ListPartsAsync(new ListPartsRequest { BucketName = config.S3Bucket, Key = key, UploadId = uploadId, MaxParts = 1, PartNumberMarker = "3" });
        Assert.Equal((5, true, 5), (page2.Parts!.Single().PartNumber!.Value, page2.IsTruncated!.Value, page2.NextPartNumberMarker!.Value));

        var unknown = await Assert.ThrowsAsync<AmazonS3Exception>(() => ListAsync(s3, config.S3Bucket!, key, "no-such-upload", marker: null));
        Assert.Equal(("NoSuchUpload", System.Net.HttpStatusCode.NotFound), (unknown.ErrorCode, unknown.StatusCode));
        var otherKey = await Assert.ThrowsAsync<AmazonS3Exception>(() => ListAsync(s3, config.S3Bucket!, key + "-other", uploadId, marker: null));
        Assert.Equal("NoSuchUpload", otherKey.ErrorCode);

        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = config.S3Bucket, Key = key, UploadId = uploadId,
            PartETags = sent.Select(p => new PartETag { PartNumber = p.Number, ETag = p.ETag, ChecksumSHA256 = p.Checksum }).ToList(),
        });
        Assert.DoesNotContain(uploadId, _proxy.OpenUploads);
        var completed = await Assert.ThrowsAsync<AmazonS3Exception>(() => ListAsync(s3, config.S3Bucket!, key, uploadId, marker: null));
        Assert.Equal("NoSuchUpload", completed.ErrorCode);
    }

    /// <summary>
    /// Runs a backup in a child process, holds part 3 of its upload, and kills it once the archive is sealed in the
    /// spool. Returns the run, its record and a copy of the spool (the archive's bytes).
    /// </summary>
    private async Task<(string RunKey, RunRecord Record, byte[] Spool)> KillWhileUploadingAsync()
    {
        _proxy.Fault = async (context, seen) =>
        {
            if (!seen.IsUploadPart || context.Request.Query["partNumber"] != "3")
            {
                return false;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMinutes(10), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client is gone (killed): nothing to answer.
            }

            return true;
        };
        using (var child = ChildCli.Start("backup", "--config", _configPath, "--file", _source, "--recursive"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!(await SealedRunAsync() is not null && _proxy.Count(r => r.IsUploadPart) >= 3))
            {
                Assert.False(child.HasExited, "the backup ended before it could be killed: " + child.Output);
                Assert.True(DateTime.UtcNow < deadline, "the backup never reached 'uploading': " + child.Output
                    + "\nrequests: " + string.Join("\n", _proxy.Requests.Select(r => r.Method + " " + r.RawTarget))
                    + "\ntmp: " + string.Join(", ", Directory.EnumerateFiles(_world.Config.TmpDir, "*", SearchOption.AllDirectories).Select(f => f + "=" + new FileInfo(f).Length))
                    + "\nruns: " + string.Join(", ", (await _world.Log.ListRunsAsync(CancellationToken.None)).Select(r => r.Key + "=" + r.Value.Status)));
                await Task.Delay(100);
            }

            child.Kill();
        }

        _proxy.Fault = null;
        var (runKey, record) = (await SealedRunAsync())!.Value;
        Assert.Equal(RunStatus.Uploading, record.Status);
        Assert.Equal("s3", record.Backend);
        foreach (string key in new[] { "spool_path", "upload_id", "upload_target", "upload_part_size" })
        {
            Assert.True(record.BackendState.ContainsKey(key), $"BackendState lacks {key}");
        }

        Assert.True(File.Exists(record.BackendState["spool_path"]), "the spool outlives the process");
        Assert.Equal(PartSizeMb * MiB, long.Parse(record.BackendState["upload_part_size"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, _proxy.Count(r => r.IsUploadPart)); // one part at a time: part 4 never started
        return (runKey, record, await File.ReadAllBytesAsync(record.BackendState["spool_path"]));
    }

    private async Task<RunRecord> AssertSucceededAsync(string runKey, RunRecord killed, byte[] spool)
    {
        RunRecord done = (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(killed.BackendState["upload_target"], done.ArchiveId);
        Assert.Equal(killed.ArchiveSha256, done.ArchiveSha256);
        Assert.Equal(spool.LongLength, done.ArchiveSize);
        Assert.False(done.BackendState.ContainsKey("spool_path"));
        Assert.False(File.Exists(killed.BackendState["spool_path"]), "the spool is removed after a successful upload");
        Assert.DoesNotContain(killed.BackendState["upload_id"], _proxy.OpenUploads);
        AssertSameBytes(spool, await File.ReadAllBytesAsync(StoredFile(fixture, done.ArchiveId!))); // what s3rver stored is the sealed archive
        return done;
    }

    private async Task<(string, RunRecord)?> SealedRunAsync()
    {
        var runs = await _world.Log.ListRunsAsync(CancellationToken.None);
        var sealedRun = runs.FirstOrDefault(r => r.Value.Status == RunStatus.Uploading);
        return sealedRun.Value is null ? null : (sealedRun.Key, sealedRun.Value);
    }

    private async Task AssertRestoresAsync(string runKey)
    {
        string target = _world.NewDirectory("restored-" + runKey);
        var (exit, output) = await CliAsync("restore", "--config", _configPath, "--run", runKey, "--private-key", _world.PrivateKeyPath, "--to", target);
        Assert.True(exit == ExitCodes.Success, output);
        TreeAssert.Identical(_source, target);
    }

    private static bool IsInitiate(SeenRequest r) => r.Method == "POST" && r.Query.Split('&').Any(p => p is "uploads" or "uploads=");

    private static Task<ListPartsResponse> ListAsync(AmazonS3Client s3, string bucket, string key, string uploadId, string? marker) =>
        s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartNumberMarker = marker });

    private static async Task<(int Exit, string Output)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliApp.InvokeAsync(args, output, error);
        return (exit, output + error.ToString());
    }
}
