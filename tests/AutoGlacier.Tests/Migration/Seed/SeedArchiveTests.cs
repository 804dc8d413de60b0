using System.Formats.Tar;
using System.Security.Cryptography;
using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Migration.Seed;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Migration.Seed;

/// <summary>Seed archives made by PyCryptodome (at test time, and one committed) read back by our seed reader.</summary>
public sealed class SeedArchiveTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(Tool.RepoRoot(), "tests", "AutoGlacier.Tests", "Migration", "Seed", "Fixtures", name);

    [Fact]
    public async Task The_committed_seed_archive_decrypts_and_its_files_match_the_committed_seed_log()
    {
        using RSA key = SeedPrivateKey.Load(Fixture("seed-private.pem"), "seed fixture passphrase");
        var log = new JsonRunLog(_dir.Write("log.json", File.ReadAllBytes(Fixture("seed-log.json"))));
        var run = (await log.ListRunsAsync(None)).Single();
        var expected = await log.ReadFilesAsync(run.Key, None).ToDictionaryAsync(f => f.ArchiveName!, f => f.Hash!);

        var files = await ReadAllAsync(Fixture("seed-archive.tar.xz.enc"), key, _dir.Combine("spool"));

        Assert.Equal("hello from the Python seed\n", System.Text.Encoding.UTF8.GetString(files["tmp/ag-seed-fixture/notes/hello.txt"]));
        Assert.Equal(3000, files["tmp/ag-seed-fixture/notes/data.bin"].Length);
        Assert.Equal(2, expected.Count);
        foreach (var (name, hash) in expected) { Assert.Equal(hash, Convert.ToHexStringLower(SHA512.HashData(files[name]))); }
        Assert.Equal(RunStatus.Succeeded, run.Value.Status);
        Assert.Equal(new FileInfo(Fixture("seed-archive.tar.xz.enc")).Length, run.Value.ArchiveSize);
        Assert.Empty(Directory.GetFiles(_dir.Combine("spool")));
    }

    [Theory]
    [InlineData("lzma", "lzma")]
    [InlineData("gzip", "gzip")]
    [InlineData("bzip2", "bzip2")]
    [InlineData("none", "none")]
    public async Task Every_seed_compression_reads_back_byte_identical(string compression, string recognised)
    {
        if (!SeedPython.Available()) { return; }
        var source = Sources();
        var (_, archive) = SeedPython.Backup(_dir.Path, source.Keys, compression);
        using RSA key = SeedPrivateKey.Load(SeedPython.PrivateKey(_dir.Path), SeedPython.Passphrase);

        await using var reader = await SeedArchiveReader.OpenAsync(File.OpenRead(archive!), key, _dir.Combine("spool"), None);
        var files = await ReadEntriesAsync(reader);

        Assert.Equal(recognised, reader.CodecName);
        foreach (var (path, content) in source) { Assert.Equal(content, files[path.TrimStart('/')]); }
    }

    [Fact]
    public async Task An_unencrypted_seed_key_opens_the_archive_without_a_passphrase()
    {
        if (!SeedPython.Available()) { return; }
        var source = Sources();
        var (_, archive) = SeedPython.Backup(_dir.Path, source.Keys, passphrase: null);

        using RSA key = SeedPrivateKey.Load(SeedPython.PrivateKey(_dir.Path), null);
        var files = await ReadAllAsync(archive!, key, _dir.Combine("spool"));

        Assert.Equal(source.Count, files.Count);
    }

    [Fact]
    public void A_wrong_passphrase_is_named_as_such_and_never_echoed()
    {
        var ex = Assert.Throws<WrongPassphraseException>(() => SeedPrivateKey.Load(Fixture("seed-private.pem"), "not the passphrase"));
        Assert.DoesNotContain("not the passphrase", ex.ToString(), StringComparison.Ordinal);
        Assert.Throws<WrongPassphraseException>(() => SeedPrivateKey.Load(Fixture("seed-private.pem"), null));
    }

    [Theory]
    [InlineData(300)]   // inside the ciphertext
    [InlineData(-1)]    // its last byte
    [InlineData(260)]   // the nonce
    [InlineData(280)]   // the stored tag
    public async Task A_modified_archive_is_refused_before_anything_is_handed_out_and_the_spool_is_gone(int offset)
    {
        byte[] archive = File.ReadAllBytes(Fixture("seed-archive.tar.xz.enc"));
        archive[offset < 0 ? archive.Length + offset : offset] ^= 0x01;
        using RSA key = SeedPrivateKey.Load(Fixture("seed-private.pem"), "seed fixture passphrase");

        await Assert.ThrowsAsync<ArchiveIntegrityException>(() => SeedArchiveReader.OpenAsync(new MemoryStream(archive), key, _dir.Combine("spool"), None));

        Assert.Empty(Directory.GetFiles(_dir.Combine("spool")));
    }

    [Fact]
    public async Task Another_key_is_told_apart_from_a_damaged_archive()
    {
        using RSA other = RSA.Create(2048);
        await Assert.ThrowsAsync<WrongKeyException>(() =>
            SeedArchiveReader.OpenAsync(File.OpenRead(Fixture("seed-archive.tar.xz.enc")), other, _dir.Combine("spool"), None));
    }

    private Dictionary<string, byte[]> Sources()
    {
        var rng = new Random(11);
        var sources = new Dictionary<string, byte[]>
        {
            [_dir.Write("src/text.txt", "some text\n")] = "some text\n"u8.ToArray(),
            [_dir.Write("src/empty.bin", [])] = [],
        };
        byte[] big = new byte[300_000];
        rng.NextBytes(big);
        sources[_dir.Write("src/deeper/big.bin", big)] = big;
        return sources;
    }

    private static async Task<Dictionary<string, byte[]>> ReadAllAsync(string archive, RSA key, string spool)
    {
        await using var reader = await SeedArchiveReader.OpenAsync(File.OpenRead(archive), key, spool, None);
        return await ReadEntriesAsync(reader);
    }

    private static async Task<Dictionary<string, byte[]>> ReadEntriesAsync(SeedArchiveReader reader)
    {
        var files = new Dictionary<string, byte[]>();
        while (await reader.Tar!.GetNextEntryAsync(copyData: false, None) is { } entry)
        {
            if (entry.EntryType is not TarEntryType.RegularFile) { continue; }
            using var content = new MemoryStream();
            if (entry.DataStream is { } data) { await data.CopyToAsync(content); }
            files[entry.Name] = content.ToArray();
        }
        await reader.FinishAsync(None);
        return files;
    }
}
