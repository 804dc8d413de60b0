using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Snapshots;

/// <summary>
/// With lzma (independent .xz blocks) the local catalog says, for each entry the run stored, which compressed block
/// its tar header is in and where that block starts in the tar: enough to read one file from one block. Checked by
/// an independent reader (Python's lzma module decoding a single raw block, then tarfile) that follows
/// docs/FORMAT.md §3.1 and never sees the rest of the stream.
/// </summary>
public sealed class CatalogBlockTests : IDisposable
{
    private readonly BackupWorld _world = new("lzma");

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Each_stored_entry_is_found_by_decoding_only_the_block_the_catalog_names()
    {
        if (!ByHandSnapshotRestore.Possible) { return; } // python3 with cryptography (required, and so never missing, under CI)
        var data = _world.NewDirectory("data");
        // Random bytes are stored blocks and text is compressed blocks: each switch starts a new .xz block.
        for (var i = 0; i < 6; i++)
        {
            File.WriteAllBytes(Path.Combine(data, $"f{i}-a-random.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(1_000_000));
            File.WriteAllText(Path.Combine(data, $"f{i}-b-text.txt"), string.Concat(Enumerable.Repeat($"line {i} of text\n", 60_000)));
        }
        var result = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => _world.Config, Files = [data], RecurseDirectories = true, JobName = "blocks", Logger = NullLogger.Instance,
        }, CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, result.Status);

        var entries = LocalCatalog(result.RunKey!).Where(e => e.Run == result.RunKey).ToList();
        Assert.Equal(13, entries.Count); // the directory and its twelve files
        Assert.All(entries, e => Assert.True(e.Block is not null && e.BlockStart is not null && e.BlockStart <= e.Offset, $"{e.Path}: block {e.Block}, start {e.BlockStart}"));
        var blocks = entries.Select(e => e.Block).Distinct().Count();
        Assert.True(blocks >= 4, $"the mixed tree was written as several blocks, and entries start in {blocks}");

        var compressed = Path.Combine(_world.NewDirectory("xz"), "archive.xz");
        File.WriteAllBytes(compressed, ByHandRestore.Decrypt(_world, result.ArchiveId!));
        var requests = entries.Select(e => $"{e.Block}\t{e.Offset - e.BlockStart}\t{RestorePlanner.TarNameOf(e)}");
        var run = Tool.Run("/usr/bin/python3", ["-c", ReadOneBlock, compressed], stdin: System.Text.Encoding.UTF8.GetBytes(string.Join('\n', requests)));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(entries.Count, System.Text.Encoding.UTF8.GetString(run.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private List<CatalogEntry> LocalCatalog(string runKey)
    {
        using var reader = CatalogReader.OpenFile(LocalCatalogFile.PathFor(_world.Config.JsonDatabase, runKey));
        return reader.Entries().ToList();
    }

    /// <summary>
    /// For each "block, skip, name" line: parse the .xz block header at that offset (FORMAT.md: flags C0, compressed
    /// and uncompressed sizes, one LZMA2 filter), decode that block alone as raw LZMA2, skip into it and read one tar
    /// member, which must be the named entry. A header that runs into the next block is not expected here (a tar
    /// header is 512 bytes and each entry here starts well inside its block) and would fail the check.
    /// </summary>
    private const string ReadOneBlock = """
        import io, lzma, sys, tarfile
        data = open(sys.argv[1], "rb").read()
        def varint(buf, at):
            value = shift = 0
            while True:
                byte = buf[at]; at += 1
                value |= (byte & 0x7F) << shift; shift += 7
                if byte < 0x80: return value, at
        for line in sys.stdin.read().splitlines():
            block, skip, name = line.split("\t"); block, skip = int(block), int(skip)
            header_size = (data[block] + 1) * 4
            assert data[block + 1] == 0xC0, "block header must record both sizes"
            compressed, at = varint(data, block + 2)
            uncompressed, at = varint(data, at)
            filter_id, at = varint(data, at); props_size, at = varint(data, at)
            assert filter_id == 0x21 and props_size == 1, "one LZMA2 filter"
            prop = data[at]
            dict_size = 0xFFFFFFFF if prop == 40 else (2 | (prop & 1)) << (prop // 2 + 11)
            raw = data[block + header_size: block + header_size + compressed]
            plain = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA2, "dict_size": dict_size}]).decompress(raw)
            assert len(plain) == uncompressed, (len(plain), uncompressed)
            member = tarfile.open(fileobj=io.BytesIO(plain[skip:]), mode="r|").next()
            found = member.name + ("/" if member.isdir() else "")
            assert found == name, (found, name)
            print(found)
        """;
}
