using System.Diagnostics;
using System.Globalization;
using AutoGlacier.Log;

// Usage:
//   runs  <log> <count> <tag> <tmpDir>   start and complete <count> runs described "<tag>-<i>", 3 files each
//   scale <log> <count> <tmpDir>         one run of <count> files, then read it back; prints timings
if (args.Length < 4)
{
    await Console.Error.WriteLineAsync("usage: runs <log> <count> <tag> <tmpDir> | scale <log> <count> <tmpDir>");
    return 2;
}

var log = new JsonRunLog(args[1]);
int count = int.Parse(args[2], CultureInfo.InvariantCulture);
return args[0] switch
{
    "runs" => await WriteRunsAsync(log, count, args[3], args[4]),
    "scale" => await ScaleAsync(log, count, args[3]),
    _ => 2,
};

static async Task<int> WriteRunsAsync(JsonRunLog log, int count, string tag, string tmpDir)
{
    for (int i = 0; i < count; i++)
    {
        var record = new RunRecord { Description = $"{tag}-{i}", StartedAt = DateTimeOffset.UtcNow };
        string key = await log.StartRunAsync(record, CancellationToken.None);
        using var spool = new FileRecordSpool(tmpDir);
        for (int f = 0; f < 3; f++)
        {
            spool.Append(new FileRecord { Path = $"/{tag}/{i}/{f}", Size = f });
        }

        await log.CompleteRunAsync(key, record with { Status = RunStatus.Succeeded, FilesStored = 3 }, spool, CancellationToken.None);
    }

    return 0;
}

static async Task<int> ScaleAsync(JsonRunLog log, int count, string tmpDir)
{
    var clock = Stopwatch.StartNew();
    var record = new RunRecord { Description = "scale", StartedAt = DateTimeOffset.UtcNow };
    string key = await log.StartRunAsync(record, CancellationToken.None);
    using var spool = new FileRecordSpool(tmpDir);
    var mtime = DateTimeOffset.UtcNow;
    for (int i = 0; i < count; i++)
    {
        spool.Append(new FileRecord { Path = $"/data/dir{i / 1000}/file{i}.txt", Size = i, Mtime = mtime, Mode = 420, Hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" });
    }

    TimeSpan spooled = clock.Elapsed;
    await log.CompleteRunAsync(key, record with { Status = RunStatus.Succeeded, FilesStored = count }, spool, CancellationToken.None);
    TimeSpan completed = clock.Elapsed;
    int read = 0;
    await foreach (FileRecord file in log.ReadFilesAsync(key, CancellationToken.None))
    {
        read++;
    }

    double spoolSeconds = spooled.TotalSeconds, complete = (completed - spooled).TotalSeconds, readback = (clock.Elapsed - completed).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"files={count} read={read} spool={spoolSeconds:0.00}s complete={complete:0.00}s readback={readback:0.00}s log={new FileInfo(log.Path).Length} bytes peakWorkingSet={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}MiB"));
    return read == count ? 0 : 1;
}
