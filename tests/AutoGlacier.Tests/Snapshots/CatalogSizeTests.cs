using AutoGlacier.Snapshots;
using Xunit.Abstractions;
using AutoGlacier.Tests.Support;
using static AutoGlacier.Tests.Snapshots.SnapshotTestData;

namespace AutoGlacier.Tests.Snapshots;

/// <summary>
/// Catalog bytes per entry on generated trees (home-directory-like paths, real SHA-256s, 30-character run keys and
/// Glacier-length archive ids), and the memory a chain merge holds. AUTOGLACIER_CATALOG_ENTRIES scales the tree
/// (docs/SNAPSHOTS.md lists the numbers for 1,000,000).
/// </summary>
[Collection(MemoryMeasurement.Name)]
public class CatalogSizeTests(ITestOutputHelper output)
{
    private static readonly int Files = int.TryParse(Environment.GetEnvironmentVariable("AUTOGLACIER_CATALOG_ENTRIES"), out var n) ? n : 100_000;
    private static readonly string ArchiveId = new('x', 138);

    [Fact]
    public void A_catalog_costs_under_90_bytes_an_entry_and_a_one_percent_incremental_grows_with_the_change()
    {
        var full = Catalog(Header("1764232671.482113"), Tree().Select(f => CatalogEntry.From(f, Location("1764232671.482113", f))));
        var changed = Tree().Where((_, i) => i % 100 == 0).Select(f => f with { MtimeNs = f.MtimeNs + 86_400_000_000_000, Size = f.Size + 1 });
        var incremental = Catalog(Header("1764319071.482113", SnapshotKind.Incremental, "1764232671.482113"),
            changed.Select(f => CatalogEntry.From(f, Location("1764319071.482113", f))));

        double perFull = (double)full.Length / Files, perIncremental = (double)incremental.Length / (Files / 100);
        output.WriteLine($"{Files} entries: full {full.Length} bytes ({perFull:F1} B/entry); 1% incremental {incremental.Length} bytes ({perIncremental:F1} B/changed entry)");
        Assert.InRange(perFull, 1, 90);
        Assert.InRange(perIncremental, 1, 90);
    }

    [Fact]
    public void Resolving_a_chain_holds_one_line_per_catalog_not_the_listing()
    {
        var full = Catalog(Header("1"), Tree().Select(f => CatalogEntry.From(f, Location("1", f))));
        var chain = new List<byte[]> { full };
        for (var day = 2; day <= 30; day++)
        {
            var key = day.ToString("D2");
            chain.Add(Catalog(Header(key, SnapshotKind.Incremental, (day - 1).ToString("D2")),
                Tree().Where((_, i) => i % 100 == day).Select(f => CatalogEntry.From(f, Location(key, f)))));
        }
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long count = 0, peak = 0;
        foreach (var _ in CatalogChain.Resolve(chain.Select(Stream).ToList()))
        {
            if (++count % (Files / 10) == 0) { peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before); }
        }

        output.WriteLine($"{count} entries through a 30-catalog chain; managed heap grew at most {peak / 1024} KiB");
        Assert.Equal(Files, count);
        Assert.InRange(peak, long.MinValue, 32L << 20);
    }

    private static ContentLocation Location(string run, EntryFacts facts) => new(run, ArchiveId, (long)facts.Inode!.Value * 1536, null, Sha(facts.Path + facts.MtimeNs));

    /// <summary>A tree shaped like a home directory: 1,000 directories of 1,000 files at most, sorted by ordinal path.</summary>
    private static IEnumerable<EntryFacts> Tree()
    {
        var random = new Random(1);
        string[] tops = ["Documents", "Music", "Pictures", "projects", "src"];
        var paths = Enumerable.Range(0, Files).Select(i =>
            $"/home/someone/{tops[i % tops.Length]}/folder-{i / 1000:D4}/file-{i:D7}-{(char)('a' + i % 26)}.{(i % 3 == 0 ? "txt" : "jpg")}")
            .Order(StringComparer.Ordinal);
        ulong inode = 1000;
        foreach (var path in paths)
        {
            var mtime = 1_700_000_000_000_000_000 + random.NextInt64(1_000_000_000_000_000);
            yield return new EntryFacts(path, EntryType.File, random.Next(100, 5_000_000), mtime, mtime, inode++, 2049, 420, 1000, 1000);
        }
    }
}
