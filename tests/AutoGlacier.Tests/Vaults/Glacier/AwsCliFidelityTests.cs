using System.Text;
using System.Text.Json;
using AutoGlacier.Tests.Hashing;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>
/// The local Glacier server checked by an independent client: Debian's AWS CLI (botocore signs and computes tree
/// hashes itself), driving every operation AutoGlacier uses and checking the bytes that come back.
/// </summary>
public sealed class AwsCliFidelityTests : IAsyncLifetime
{
    private const string Aws = "/usr/bin/aws";
    private const int MiB = 1 << 20;
    private readonly TempDir _dir = new();
    private LocalGlacierFixture? _glacier;

    private LocalGlacierFixture Glacier => _glacier!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await Glacier.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void Aws_cli_drives_every_operation_and_gets_the_bytes_back()
    {
        if (!Tool.Available(Aws) || !Tool.Available("/usr/bin/python3"))
        {
            return;
        }

        Cli("create-vault", "--vault-name", "fidelity");
        Assert.Contains("\"fidelity\"", Cli("list-vaults").GetRawText(), StringComparison.Ordinal);

        byte[] small = Bytes(3000, 1);
        string smallId = Cli("upload-archive", "--vault-name", "fidelity", "--archive-description", "small one", "--body", _dir.Write("small.bin", small))
            .GetProperty("archiveId").GetString()!;

        byte[] large = Bytes((2 * MiB) + 12345, 2);
        string largePath = _dir.Write("large.bin", large);
        string largeId = UploadInThreeParts(large, largePath);

        CheckListPartsAndAbort();
        AssertRetrieved(smallId, small);
        AssertRetrieved(largeId, large);

        Cli("delete-archive", "--vault-name", "fidelity", "--archive-id", smallId);
        var (code, _, error) = RunCli(SecretKeyFor: LocalGlacierFixture.SecretKey, "delete-archive", "--vault-name", "fidelity", "--archive-id", smallId);
        Assert.NotEqual(0, code);
        Assert.Contains("ResourceNotFoundException", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_cli_with_a_wrong_secret_gets_a_signature_error()
    {
        if (!Tool.Available(Aws))
        {
            return;
        }

        var (code, _, error) = RunCli(SecretKeyFor: "not-the-secret", "list-vaults");

        Assert.NotEqual(0, code);
        Assert.Contains("InvalidSignatureException", error, StringComparison.Ordinal);
    }

    private string UploadInThreeParts(byte[] data, string path)
    {
        string uploadId = Cli("initiate-multipart-upload", "--vault-name", "fidelity", "--part-size", MiB.ToString(), "--archive-description", "three parts")
            .GetProperty("uploadId").GetString()!;

        // Parts go up out of order, as Glacier allows.
        foreach (int part in new[] { 2, 0, 1 })
        {
            int start = part * MiB;
            int end = Math.Min(start + MiB, data.Length) - 1;
            string partPath = _dir.Write($"part{part}.bin", data[start..(end + 1)]);
            JsonElement answer = Cli("upload-multipart-part", "--vault-name", "fidelity", "--upload-id", uploadId, "--range", $"bytes {start}-{end}/*", "--body", partPath);
            Assert.Equal(Botocore.TreeHashOfFile(partPath), answer.GetProperty("checksum").GetString());
        }

        string treeHash = Botocore.TreeHashOfFile(path);
        JsonElement done = Cli("complete-multipart-upload", "--vault-name", "fidelity", "--upload-id", uploadId, "--checksum", treeHash, "--archive-size", data.Length.ToString());
        Assert.Equal(treeHash, done.GetProperty("checksum").GetString());
        return done.GetProperty("archiveId").GetString()!;
    }

    private void CheckListPartsAndAbort()
    {
        string uploadId = Cli("initiate-multipart-upload", "--vault-name", "fidelity", "--part-size", MiB.ToString())
            .GetProperty("uploadId").GetString()!;
        string partPath = _dir.Write("listed.bin", Bytes(MiB, 3));
        Cli("upload-multipart-part", "--vault-name", "fidelity", "--upload-id", uploadId, "--range", $"bytes {MiB}-{(2 * MiB) - 1}/*", "--body", partPath);

        JsonElement parts = Cli("list-parts", "--vault-name", "fidelity", "--upload-id", uploadId).GetProperty("Parts");
        Assert.Equal($"{MiB}-{(2 * MiB) - 1}", parts[0].GetProperty("RangeInBytes").GetString());
        Assert.Equal(Botocore.TreeHashOfFile(partPath), parts[0].GetProperty("SHA256TreeHash").GetString());

        Cli("abort-multipart-upload", "--vault-name", "fidelity", "--upload-id", uploadId);
        var (code, _, error) = RunCli(SecretKeyFor: LocalGlacierFixture.SecretKey, "list-parts", "--vault-name", "fidelity", "--upload-id", uploadId);
        Assert.NotEqual(0, code);
        Assert.Contains("ResourceNotFoundException", error, StringComparison.Ordinal);
    }

    private void AssertRetrieved(string archiveId, byte[] expected)
    {
        string jobId = Cli("initiate-job", "--vault-name", "fidelity", "--job-parameters", $$"""{"Type":"archive-retrieval","ArchiveId":"{{archiveId}}","Tier":"Expedited"}""")
            .GetProperty("jobId").GetString()!;
        JsonElement job = Cli("describe-job", "--vault-name", "fidelity", "--job-id", jobId);
        Assert.Equal("Succeeded", job.GetProperty("StatusCode").GetString());
        Assert.Equal(expected.Length, job.GetProperty("ArchiveSizeInBytes").GetInt64());

        string whole = _dir.Combine("whole-" + jobId[..8]);
        JsonElement output = Cli("get-job-output", "--vault-name", "fidelity", "--job-id", jobId, whole);
        Assert.Equal(expected, File.ReadAllBytes(whole));
        Assert.Equal(Botocore.TreeHashOfFile(whole), output.GetProperty("checksum").GetString());

        // A tree-hash-aligned range (the first MiB, or all of a small archive) comes with its tree hash.
        int end = Math.Min(MiB, expected.Length) - 1;
        string ranged = _dir.Combine("ranged-" + jobId[..8]);
        output = Cli("get-job-output", "--vault-name", "fidelity", "--job-id", jobId, "--range", $"bytes=0-{end}", ranged);
        Assert.Equal(expected[..(end + 1)], File.ReadAllBytes(ranged));
        Assert.Equal(Botocore.TreeHashOfFile(ranged), output.GetProperty("checksum").GetString());

        // An unaligned range has no tree hash.
        output = Cli("get-job-output", "--vault-name", "fidelity", "--job-id", jobId, "--range", "bytes=7-1000", ranged);
        Assert.Equal(expected[7..1001], File.ReadAllBytes(ranged));
        Assert.False(output.TryGetProperty("checksum", out _));
    }

    private JsonElement Cli(params string[] args)
    {
        var (code, stdout, error) = RunCli(LocalGlacierFixture.SecretKey, args);
        Assert.True(code == 0, $"aws glacier {string.Join(' ', args)} failed ({code}): {error}");
        return stdout.Length == 0 ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private (int Code, byte[] Stdout, string Stderr) RunCli(string SecretKeyFor, params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = LocalGlacierFixture.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = SecretKeyFor,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_PAGER"] = "",
        };
        string[] all = ["glacier", .. AttachDashValues(args), "--account-id", "-", "--endpoint-url", Glacier.Endpoint, "--region", "us-east-1", "--output", "json"];
        var result = Tool.Run(Aws, all, env: env);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>
    /// Ids are base64url and may begin with '-', which the CLI's argument parser takes for an option
    /// ("expected one argument"); <c>--name=value</c> is unambiguous.
    /// </summary>
    private static List<string> AttachDashValues(string[] args)
    {
        var joined = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            bool dashValue = args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length
                && args[i + 1].Length > 1 && args[i + 1][0] == '-';
            joined.Add(dashValue ? $"{args[i]}={args[++i]}" : args[i]);
        }
        return joined;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
