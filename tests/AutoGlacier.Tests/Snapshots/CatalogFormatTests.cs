using System.Text;
using AutoGlacier.Compression.Zstd;
using AutoGlacier.Encryption;
using AutoGlacier.Snapshots;
using AutoGlacier.Tests.Encryption;
using AutoGlacier.Tests.Log;
using static AutoGlacier.Tests.Snapshots.SnapshotTestData;

namespace AutoGlacier.Tests.Snapshots;

public class CatalogFormatTests
{
    private static readonly CatalogEntry[] Entries =
    [
        Stored(File("/home/u/a.txt"), offset: 0),
        Stored(new EntryFacts("/home/u/d", EntryType.Directory, 0, 5, Mode: 493), offset: 1536),
        Stored(new EntryFacts("/home/u/l", EntryType.Symlink, 0, 6, Mode: 511, LinkTarget: "a.txt"), offset: 2560) with { Sha256 = null },
        CatalogEntry.RemovalOf("/home/u/old"),
        Stored(File("/home/u/zażółć.txt", size: 1L << 40), run: "99", offset: 1L << 41) with { Block = 123456 },
    ];

    [Fact]
    public void A_catalog_reads_back_exactly_with_its_header()
    {
        var header = Header("200", SnapshotKind.Incremental, "100");
        var bytes = Catalog(header, Entries);

        using var reader = CatalogReader.Open(new MemoryStream(bytes), "test");
        Assert.Equal(header, reader.Header);
        Assert.Equal(Entries, reader.Entries().ToList());
    }

    [Fact]
    public void The_writer_refuses_entries_out_of_path_order_or_twice()
    {
        using var writer = new CatalogWriter(new MemoryStream(), Header("1"));
        writer.Add(CatalogEntry.RemovalOf("/b"));

        Assert.Throws<InvalidOperationException>(() => writer.Add(CatalogEntry.RemovalOf("/a")));
        Assert.Throws<InvalidOperationException>(() => writer.Add(CatalogEntry.RemovalOf("/b")));
    }

    [Fact]
    public void Paths_sort_by_ordinal_code_units_not_by_culture()
    {
        using var writer = new CatalogWriter(new MemoryStream(), Header("1"));
        writer.Add(CatalogEntry.RemovalOf("/B")); // 'B' < 'a' ordinally, the other way round in most cultures

        writer.Add(CatalogEntry.RemovalOf("/a"));
    }

    [Fact]
    public void A_catalog_that_was_not_completed_is_refused()
    {
        var output = new MemoryStream();
        using (var writer = new CatalogWriter(output, Header("1"), leaveOpen: true))
        {
            writer.Add(Entries[0]);
        }

        var error = Assert.Throws<CatalogException>(() => Read(output.ToArray()));
        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trailer_that_disagrees_with_the_lines_is_refused()
    {
        var error = Assert.Throws<CatalogException>(() => Read(Raw(HeaderLine, "{\"path\":\"/a\"}", "{\"end\":true,\"entries\":2}")));

        Assert.Contains("counts 2 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_out_of_order_are_refused()
    {
        var error = Assert.Throws<CatalogException>(() => Read(Raw(HeaderLine, "{\"path\":\"/b\"}", "{\"path\":\"/a\"}", "{\"end\":true,\"entries\":2}")));

        Assert.Contains("out of order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Something_that_is_not_a_catalog_or_of_a_newer_version_is_refused_with_what_to_do()
    {
        Assert.Contains("not a catalog header", Assert.Throws<CatalogException>(() => Read(Raw("{\"status\":\"started\"}"))).Message, StringComparison.Ordinal);
        Assert.Contains("not a catalog header", Assert.Throws<CatalogException>(() => Read(Raw("not json"))).Message, StringComparison.Ordinal);
        var newer = HeaderLine.Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal);
        Assert.Contains("use a newer AutoGlacier", Assert.Throws<CatalogException>(() => Read(Raw(newer))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_encrypted_copy_reads_back_with_any_recipient_key()
    {
        var encrypted = Encrypt(Catalog(Header("1"), Entries));

        foreach (var key in new[] { TestKeys.Alice, TestKeys.Bob })
        {
            using var reader = CatalogReader.OpenEncrypted(new MemoryStream(encrypted), key.OpenPrivate(), "vault copy");
            Assert.Equal(Entries, reader.Entries().ToList());
        }
        Assert.Throws<WrongKeyException>(() => CatalogReader.OpenEncrypted(new MemoryStream(encrypted), TestKeys.Carol.OpenPrivate(), "vault copy"));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public void A_tampered_or_cut_encrypted_catalog_is_detected(double where)
    {
        var encrypted = Encrypt(Catalog(Header("1"), Entries));
        var damaged = where < 1.0 ? Flip(encrypted, (int)(encrypted.Length * where)) : encrypted[..^20];

        Assert.Throws<ArchiveIntegrityException>(() =>
        {
            using var reader = CatalogReader.OpenEncrypted(new MemoryStream(damaged), TestKeys.Alice.OpenPrivate(), "vault copy");
            return reader.Entries().ToList();
        });
    }

    [Fact]
    public void A_file_name_appears_nowhere_in_the_encrypted_copy()
    {
        const string distinctive = "QuarterlyTaxesOfZebulon";
        var entries = Enumerable.Range(0, 200).Select(i => Stored(File($"/home/u/{distinctive}-{i:D4}.txt"), offset: i * 1024L));

        var encrypted = Encrypt(Catalog(Header("1"), entries));

        Assert.DoesNotContain(distinctive, Encoding.Latin1.GetString(encrypted), StringComparison.Ordinal);
    }

    [Fact]
    public void The_local_file_appears_only_when_committed_and_is_never_overwritten()
    {
        using var temp = new TempDirectory();
        var log = temp.File("log.json");
        using (var abandoned = LocalCatalogFile.Create(log, Header("1")))
        {
            abandoned.Writer.Add(Entries[0]);
        }
        Assert.Empty(Directory.GetFiles(LocalCatalogFile.DirectoryFor(log)));

        using (var catalog = LocalCatalogFile.Create(log, Header("1")))
        {
            catalog.Writer.Add(Entries[0]);
            catalog.Commit();
        }
        using (var reader = CatalogReader.OpenFile(LocalCatalogFile.PathFor(log, "1")))
        {
            Assert.Equal([Entries[0]], reader.Entries().ToList());
        }
        using var again = LocalCatalogFile.Create(log, Header("1"));
        Assert.Throws<IOException>(again.Commit);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(LocalCatalogFile.PathFor(log, "1")));
    }

    private const string HeaderLine = "{\"format\":\"autoglacier-catalog\",\"version\":1,\"run\":\"1\",\"series\":{\"job\":\"j\",\"backend\":\"local\",\"location\":\"/v\"}}";

    /// <summary>A catalog with arbitrary lines, compressed as the writer would, to test what the reader accepts.</summary>
    private static byte[] Raw(params string[] lines)
    {
        var output = new MemoryStream();
        using (var compressor = new ZstdCodec(3, 1).CreateCompressor(output, leaveOpen: true))
        {
            compressor.Write(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        }
        return output.ToArray();
    }

    private static byte[] Encrypt(byte[] catalog)
    {
        using var temp = new TempDirectory();
        System.IO.File.WriteAllBytes(temp.File("c"), catalog);
        var output = new MemoryStream();
        LocalCatalogFile.EncryptAsync(temp.File("c"), output, [TestKeys.Alice.Recipient, TestKeys.Bob.Recipient], CancellationToken.None).GetAwaiter().GetResult();
        return output.ToArray();
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0x40;
        return copy;
    }
}
