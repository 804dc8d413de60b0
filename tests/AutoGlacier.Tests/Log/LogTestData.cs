using AutoGlacier.Log;

namespace AutoGlacier.Tests.Log;

/// <summary>Records and spools for the log tests.</summary>
internal static class LogTestData
{
    public static readonly DateTimeOffset Launch = new(2026, 11, 27, 8, 30, 0, TimeSpan.Zero);

    public static RunRecord Record(string description) => new()
    {
        Description = description,
        StartedAt = Launch,
        Job = "TestJob",
        Warnings = ["w1"],
        Config = new Dictionary<string, string> { ["BACKEND"] = "local" },
    };

    public static FileRecord FileAt(int i) => new()
    {
        Path = $"/data/f{i}.txt",
        ArchiveName = $"data/f{i}.txt",
        Size = i,
        Mtime = Launch.AddSeconds(i),
        Mode = 420,
        Hash = new string('a', 64),
    };

    public static FileRecordSpool Spool(string tmpDir, int count, Func<int, FileRecord>? make = null)
    {
        var spool = new FileRecordSpool(tmpDir);
        for (int i = 0; i < count; i++)
        {
            spool.Append((make ?? FileAt)(i));
        }

        return spool;
    }

    public static async Task<List<FileRecord>> ReadFiles(JsonRunLog log, string key)
    {
        var files = new List<FileRecord>();
        await foreach (FileRecord file in log.ReadFilesAsync(key, CancellationToken.None))
        {
            files.Add(file);
        }

        return files;
    }
}
