#:project ../../src/AutoGlacier/AutoGlacier.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false

// Upload throughput of S3Vault to an S3-compatible endpoint (s3rver in bench/s3/run.sh).
// Usage: dotnet run bench/s3/S3UploadBench.cs -- ENDPOINT CONCURRENCY SIZE_MIB [PART_SIZE_MB [SPOOL_DIR]]
// With SPOOL_DIR the upload goes through the resumable spool (the backup default), else from memory.
using System.Diagnostics;
using AutoGlacier.Configuration;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;

string endpoint = args[0];
int concurrency = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
long size = long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) << 20;
int partSize = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : S3VaultOptions.DefaultPartSizeMb;
var config = new GteuConfig
{
    Backend = "s3", EndpointUrl = endpoint, AwsAccessKeyId = "S3RVER", AwsSecretAccessKey = "S3RVER",
    S3Bucket = "autoglacier-bench", S3Prefix = $"bench-{Guid.NewGuid():N}/", S3StorageClass = "STANDARD",
    PartSizeMb = partSize, UploadConcurrency = concurrency,
};
string? spool = args.Length > 4 ? args[4] : null;
using S3Vault vault = S3Vault.Create(config);
var block = new byte[1 << 20];
new Random(1).NextBytes(block); // incompressible, like an encrypted archive
var clock = Stopwatch.StartNew();
await using (IArchiveUpload upload = await vault.BeginUploadAsync(new ArchiveUploadInfo($"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}", "bench") { SpoolDirectory = spool }, CancellationToken.None))
{
    for (long written = 0; written < size; written += block.Length)
    {
        block[0]++; // every MiB differs
        await upload.Content.WriteAsync(block);
    }

    StoredArchive stored = await upload.CompleteAsync(CancellationToken.None);
    clock.Stop();
    Console.WriteLine($"{(spool is null ? "memory" : "spooled")}, concurrency {concurrency}, part {partSize} MiB: {stored.Size / 1048576.0 / clock.Elapsed.TotalSeconds:F1} MiB/s ({stored.Size >> 20} MiB in {clock.Elapsed.TotalSeconds:F1} s)");
    await vault.DeleteAsync(stored.ArchiveId, CancellationToken.None);
}
