// Measures GlacierVault upload throughput to an in-process local Glacier server (data on disk under TMPDIR).
// Usage: dotnet run -c Release --project tools/GlacierBench -- [sizeMiB=1024] [partMiB=16] [concurrency list=1,2,4,8]
// Each concurrency runs in a fresh child process so peak RSS is per run. With GLACIER_BENCH_ENDPOINT set (e.g. to an
// 'autoglacier local-glacier' started separately with its default keys) the server runs outside, and the peak RSS
// is the client's alone. With GLACIER_BENCH_SPOOL=1 uploads go through the resumable spool (the backup default)
// under TMPDIR instead of from memory.
using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using AutoGlacier.LocalGlacier;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;

int sizeMiB = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
int partMiB = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
string concurrencies = args.Length > 2 ? args[2] : "1,2,4,8";
if (args.Length > 3 && args[3] == "--one")
{
    await RunOneAsync(sizeMiB, partMiB, int.Parse(concurrencies, CultureInfo.InvariantCulture));
    return;
}

Console.WriteLine(HashingCost(partMiB));
Console.WriteLine();
Console.WriteLine($"| concurrency | part MiB | MiB | seconds | MiB/s | CPU s per GiB | peak RSS MiB | bound part×(c+1)+100 |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (string c in concurrencies.Split(','))
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    foreach (string a in new[] { sizeMiB.ToString(CultureInfo.InvariantCulture), partMiB.ToString(CultureInfo.InvariantCulture), c, "--one" })
    {
        start.ArgumentList.Add(a);
    }

    using Process child = Process.Start(start)!;
    Console.Write(await child.StandardOutput.ReadToEndAsync());
    await child.WaitForExitAsync();
}

// The client's own hashing (SHA-256 + tree hash per part, as GlacierMultipartBackend does), without I/O.
static string HashingCost(int partMiB)
{
    byte[] part = new byte[partMiB << 20];
    new Random(2).NextBytes(part);
    int rounds = Math.Max(1, 1024 / partMiB);
    TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
    for (int i = 0; i < rounds; i++)
    {
        System.Security.Cryptography.SHA256.HashData(part);
        AutoGlacier.Hashing.TreeHash.Compute(part.AsSpan());
    }

    double cpu = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
    return string.Create(CultureInfo.InvariantCulture, $"client hashing (SHA-256 + tree hash): {cpu / (rounds * partMiB / 1024.0):F2} CPU s per GiB");
}

static async Task RunOneAsync(int sizeMiB, int partMiB, int concurrency)
{
    string dir = Path.Combine(Path.GetTempPath(), "glacier-bench-" + Guid.NewGuid().ToString("N")[..8]);
    try
    {
        string? external = Environment.GetEnvironmentVariable("GLACIER_BENCH_ENDPOINT");
        await using LocalGlacierServer? server = external is null
            ? await LocalGlacierServer.StartAsync(new LocalGlacierOptions { DataDirectory = dir }, CancellationToken.None)
            : null;
        using var vault = new GlacierVault(new GlacierSettings
        {
            Region = "us-east-1",
            VaultName = "bench" + concurrency.ToString(CultureInfo.InvariantCulture),
            Credentials = new BasicAWSCredentials("AKIDLOCALGLACIER", "local-glacier-secret"),
            Endpoint = server?.Endpoint ?? new Uri(external!),
            PartSizeMb = partMiB,
            UploadConcurrency = concurrency,
            CreateVault = true,
        });
        byte[] block = new byte[1 << 20];
        new Random(1).NextBytes(block);
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        bool spooled = Environment.GetEnvironmentVariable("GLACIER_BENCH_SPOOL") == "1";
        var info = new ArchiveUploadInfo("1", "bench") { SpoolDirectory = spooled ? Path.Combine(dir, "spool") : null };
        await using (IArchiveUpload upload = await vault.BeginUploadAsync(info, CancellationToken.None))
        {
            for (int i = 0; i < sizeMiB; i++)
            {
                block[0] = (byte)i; // no two MiB alike
                await upload.Content.WriteAsync(block);
            }

            await upload.CompleteAsync(CancellationToken.None);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {concurrency} | {partMiB} | {sizeMiB} | {seconds:F1} | {sizeMiB / seconds:F0} | {cpu / (sizeMiB / 1024.0):F1} | {peak} | {(partMiB * (concurrency + 1)) + 100} |"));
    }
    finally
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
