using AutoGlacier.Tests.Support;
using System.Diagnostics;
using AutoGlacier.Log;
using Xunit.Abstractions;

namespace AutoGlacier.Tests.Log;

[Collection(MemoryMeasurement.Name)]
public sealed class ScaleTests(ITestOutputHelper output) : IDisposable
{
    private const int FileCount = 1_000_000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_run_of_a_million_files_completes_and_reads_back_with_flat_memory()
    {
        var log = new JsonRunLog(_dir.File("log.json"));
        string older = await log.StartRunAsync(new RunRecord { Description = "older" }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        string key = await log.StartRunAsync(new RunRecord { Description = "big" }, CancellationToken.None);
        using (var spool = new FileRecordSpool(_dir.File("tmp")))
        {
            var mtime = DateTimeOffset.UtcNow;
            for (int i = 0; i < FileCount; i++)
            {
                spool.Append(new FileRecord { Path = $"/data/d{i / 1000}/f{i}", Size = i, Mtime = mtime, Mode = 420, Hash = "0123456789abcdef" });
            }

            long before = GC.GetTotalMemory(forceFullCollection: true);
            await log.CompleteRunAsync(key, new RunRecord { Description = "big", Status = RunStatus.Succeeded }, spool, CancellationToken.None);
            // One more write after it: the million-file run is copied, not re-serialised or loaded.
            await log.UpdateRunAsync(older, new RunRecord { Description = "older, updated" }, CancellationToken.None);
            long growth = GC.GetTotalMemory(forceFullCollection: true) - before;
            Assert.True(growth < 50 * 1024 * 1024, $"heap grew by {growth} bytes while writing");
        }

        TimeSpan written = clock.Elapsed;
        long count = 0;
        long sizeSum = 0;
        await foreach (FileRecord file in log.ReadFilesAsync(key, CancellationToken.None))
        {
            count++;
            sizeSum += file.Size!.Value;
        }

        Assert.Equal(FileCount, count);
        Assert.Equal((long)FileCount * (FileCount - 1) / 2, sizeSum);
        Assert.Equal(["older, updated", "big"], (await log.ListRunsAsync(CancellationToken.None)).Select(r => r.Value.Description));
        output.WriteLine($"write {written.TotalSeconds:0.0}s, read back {(clock.Elapsed - written).TotalSeconds:0.0}s, " +
            $"log {new FileInfo(log.Path).Length / 1048576} MiB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MiB");
    }
}
