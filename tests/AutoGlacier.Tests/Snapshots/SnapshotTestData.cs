using AutoGlacier.Snapshots;

namespace AutoGlacier.Tests.Snapshots;

/// <summary>Entries and catalogs for the snapshot tests.</summary>
internal static class SnapshotTestData
{
    public static readonly SeriesId Series = new("nightly", "local", "/vault");

    public static EntryFacts File(string path, long size = 10, long mtime = 1_700_000_000_123_456_789, ulong inode = 42) =>
        new(path, EntryType.File, size, mtime, CtimeNs: mtime, Inode: inode, Device: 2049, Mode: 420, Uid: 1000, Gid: 1000);

    public static ContentLocation At(string run, long offset = 0, string? sha = null) =>
        new(run, "archive-" + run, offset, null, sha ?? Sha(run + offset));

    public static string Sha(string seed) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)));

    public static CatalogEntry Stored(EntryFacts facts, string run = "100", long offset = 0, string? sha = null) =>
        CatalogEntry.From(facts, At(run, offset, sha));

    public static CatalogHeader Header(string run, SnapshotKind kind = SnapshotKind.Full, string? baseRun = null) =>
        new() { Run = run, Kind = kind, Base = baseRun, Series = Series, StartedAt = DateTimeOffset.UnixEpoch };

    /// <summary>Writes a catalog of <paramref name="entries"/> into memory and returns its bytes.</summary>
    public static byte[] Catalog(CatalogHeader header, IEnumerable<CatalogEntry> entries)
    {
        var output = new MemoryStream();
        using (var writer = new CatalogWriter(output, header, leaveOpen: true))
        {
            foreach (var entry in entries) { writer.Add(entry); }
            writer.Complete();
        }
        return output.ToArray();
    }

    /// <summary>Reads every entry of a plain catalog.</summary>
    public static List<CatalogEntry> Read(byte[] catalog)
    {
        using var reader = CatalogReader.Open(new MemoryStream(catalog), "test catalog");
        return [.. reader.Entries()];
    }

    /// <summary>Opens catalogs lazily, as the pipeline does with files, so a merge reads them as streams.</summary>
    public static IEnumerable<CatalogEntry> Stream(byte[] catalog)
    {
        using var reader = CatalogReader.Open(new MemoryStream(catalog), "test catalog");
        foreach (var entry in reader.Entries()) { yield return entry; }
    }
}

/// <summary>A clock that says what the test tells it.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
